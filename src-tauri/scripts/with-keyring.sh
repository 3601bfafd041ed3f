#!/usr/bin/env bash
# Runs a command against a real Secret Service: call it inside `dbus-run-session`. It starts a
# GNOME Keyring whose keyrings live in a throwaway folder, unlocked with a throwaway password,
# so the keychain test stores, reads and removes a real entry without touching the person's own
# keyring. Used by `make test` for the webhook-secret keychain test.
set -euo pipefail
keyrings="$(mktemp -d)"
trap 'rm -rf "$keyrings"' EXIT
export XDG_DATA_HOME="$keyrings"
printf 'warden-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
