#!/usr/bin/env bash
# Runs every test project and prints the totals as one plain line: "N passed, N failed", after a
# line "N skipped" (tests that report themselves skipped, such as the real-broker suite where no
# Docker engine runs; they are neither passed nor failed).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1

results="$(mktemp -d)"
dotnet test AgentStateProcessor.sln --configuration Release \
  --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # The counters have no skipped total: a skipped test is a result with outcome NotExecuted.
  s=$(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + s))
done
echo "${skipped} skipped"
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$files" -eq 0 ]; then exit 1; fi
