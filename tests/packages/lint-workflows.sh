#!/usr/bin/env bash
# Runs actionlint (with ShellCheck on the run: scripts, when installed) on every workflow in
# .github/workflows, and ShellCheck on the scripts they call (.github/scripts/*.sh); one PASS/FAIL
# line per file; exit 1 on any FAIL.
# Usage: ACTIONLINT=path/to/actionlint tests/packages/lint-workflows.sh  (make test-workflows)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
actionlint="${ACTIONLINT:-actionlint}"
if ! "$actionlint" --version >/dev/null 2>&1; then
  echo "FAIL workflows: actionlint not found at '$actionlint' (make test-workflows installs it)"
  exit 1
fi
command -v shellcheck >/dev/null || echo "SKIP workflows: ShellCheck is not installed; run: scripts are not checked"
cd "$root" || exit 1
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "FAIL workflows: none found in .github/workflows"
  exit 1
fi
fails=0
for f in "${files[@]}"; do
  if out="$("$actionlint" -no-color "$f" 2>&1)"; then
    echo "PASS workflows: actionlint finds nothing in $f"
  else
    echo "FAIL workflows: actionlint in $f:"
    echo "$out" | sed 's/^/    | /'
    fails=$((fails + 1))
  fi
done
if command -v shellcheck >/dev/null; then
  for f in .github/scripts/*.sh; do
    if out="$(shellcheck -S warning "$f" 2>&1)"; then
      echo "PASS workflows: shellcheck finds nothing in $f"
    else
      echo "FAIL workflows: shellcheck in $f:"
      echo "$out" | sed 's/^/    | /'
      fails=$((fails + 1))
    fi
  done
fi
exit $((fails > 0))
