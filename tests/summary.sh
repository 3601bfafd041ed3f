#!/usr/bin/env bash
# Adds up the counts the test runners printed into tests/artifacts/*.log (the package checks print
# PASS/FAIL lines) and prints one closing line. Fails if any runner reported a failure or ran nothing.
# No -e or pipefail: a grep that finds no line is a count of 0, not an error.
set -u
cd "$(dirname "$0")/artifacts" || exit 1
strip() { sed -e 's/\x1b\[[0-9;]*m//g' "$1"; }
rust_pass=$(strip rust.log | grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
rust_fail=$(strip rust.log | grep -oE '[0-9]+ failed;' | awk '{s+=$1} END {print s+0}')
ui_pass=$(strip ui.log | grep -E '^\s*Tests\s' | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
ui_fail=$(strip ui.log | grep -E '^\s*Tests\s' | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
e2e_pass=$(strip e2e.log | grep -E '^ℹ pass [0-9]+' | awk '{s+=$3} END {print s+0}')
e2e_fail=$(strip e2e.log | grep -E '^ℹ fail [0-9]+' | awk '{s+=$3} END {print s+0}')
pkg_pass=$(strip packages.log | grep -c '^PASS ')
pkg_fail=$(strip packages.log | grep -c '^FAIL ')
printf '%-8s %6s %6s\n' suite passed failed rust "$rust_pass" "$rust_fail" ui "$ui_pass" "$ui_fail" e2e "$e2e_pass" "$e2e_fail" \
  packages "$pkg_pass" "$pkg_fail"
passed=$((rust_pass + ui_pass + e2e_pass + pkg_pass))
failed=$((rust_fail + ui_fail + e2e_fail + pkg_fail))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rust_pass" -gt 0 ] && [ "$ui_pass" -gt 0 ] && [ "$e2e_pass" -gt 0 ] &&
  [ "$pkg_pass" -gt 0 ]
