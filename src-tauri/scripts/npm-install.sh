#!/usr/bin/env bash
# Installs a folder's npm packages exactly as locked (`npm ci`), only when the lock file changed
# since the last install. The lock holds every platform's binary packages (the Tauri CLI's,
# Rolldown's, Lightning CSS's; tests/packages/lock-platforms.mjs checks it), so the same command
# gives every OS, and every release runner, the locked tree. No fallback to `npm install`: that
# would quietly install versions nobody tested.
set -euo pipefail
dir="$1"
stamp="$dir/node_modules/.warden-lock-hash"
hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then exit 0; fi
if ! npm --prefix "$dir" ci --no-audit --no-fund; then
  cat >&2 <<EOF

npm ci failed in $dir: the packages could not be installed exactly as $dir/package-lock.json locks them.
  - If it says the lock and package.json are out of sync, or a platform's package is missing, the
    lock needs regenerating. In a clean checkout (no $dir/node_modules) run
        npm --prefix $dir install --package-lock-only
    then check it with  node tests/packages/lock-platforms.mjs  and commit $dir/package-lock.json.
  - If a download failed, check the network or the npm registry setting (npm config get registry).
EOF
  exit 1
fi
echo "$hash" > "$stamp"
