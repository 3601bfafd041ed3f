#!/usr/bin/env bash
# The package checks of `make test` (make test-packages), in order: the UI lock file holds every
# platform's binaries, the update manifest script, actionlint on the workflows, then the .deb and
# .rpm built from the app binary. Each prints PASS/FAIL/SKIP lines (tests/summary.sh counts them);
# all run even when one fails, and the exit code is 1 if any did.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rc=0
node "$here/lock-platforms.mjs" || rc=1
node "$here/update-manifest.test.mjs" || rc=1
"$here/lint-workflows.sh" || rc=1
"$here/check-packages.sh" || rc=1
exit $rc
