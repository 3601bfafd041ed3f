#!/usr/bin/env bash
# Installs the agent CLIs the tests drive (tests/agent-clis, pinned and locked) into a cache folder
# outside git, never globally. Skips the install when the lock file has not changed since the last
# one. Usage: agents-install.sh SOURCE_DIR CACHE_DIR
set -euo pipefail
src="$1"
dest="$2"
mkdir -p "$dest"
stamp="$dest/node_modules/.warden-lock-hash"
hash="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then exit 0; fi
cp "$src/package.json" "$src/package-lock.json" "$dest/"
echo "Installing the pinned agent CLIs into $dest (several hundred MB, once)…"
npm --prefix "$dest" install --no-audit --no-fund
for cli in claude codex gemini; do "$dest/node_modules/.bin/$cli" --version; done
echo "$hash" > "$stamp"
