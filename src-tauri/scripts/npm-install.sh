#!/usr/bin/env bash
# Installs a folder's npm packages at their locked versions, only when the lock file changed since
# the last install. `npm install` rather than `npm ci`: the lock lists the Tauri CLI's binaries for
# every platform as optional packages, and `npm ci` fails where a registry mirror does not carry
# the other platforms' ones, while `npm install` skips them.
set -euo pipefail
dir="$1"
stamp="$dir/node_modules/.warden-lock-hash"
hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then exit 0; fi
npm --prefix "$dir" install --no-audit --no-fund
echo "$hash" > "$stamp"
