#!/usr/bin/env bash
# Makes sure Node.js (with npm) of at least the given version is present; installs Debian's if
# there is none, and says clearly what to do when the one found is too old.
set -euo pipefail
need="$1"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  "$(dirname "$0")/apt-install.sh" nodejs npm
fi
have="$(node -p 'process.versions.node')"
if ! node -e '
  const [a, b] = process.argv[1].split(".").map(Number), [c, d] = process.argv[2].split(".").map(Number);
  process.exit(a > c || (a === c && b >= d) ? 0 : 1)' "$have" "$need"; then
  echo "Node.js $have is too old: the UI build needs $need or newer. Install a current Node.js (https://nodejs.org or your distribution's nodejs package) and run make again." >&2
  exit 1
fi
