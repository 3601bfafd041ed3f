#!/usr/bin/env bash
# Installs a folder's npm packages exactly as locked, only when the lock file changed since the
# last install.
set -euo pipefail
dir="$1"
stamp="$dir/node_modules/.warden-lock-hash"
hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then exit 0; fi
npm --prefix "$dir" ci --no-audit --no-fund
echo "$hash" > "$stamp"
