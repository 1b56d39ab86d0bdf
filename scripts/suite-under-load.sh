#!/usr/bin/env bash
# Runs the whole suite several times in a row, each time as CI does (a fresh clone, `.ci/run`), while
# another build of the same tree loads the machine the whole time, and prints one line per run and a
# summary. Usage: scripts/suite-under-load.sh [runs=5] [results-dir]
# Timing asserts that a busy machine can break show up here as failures that a quiet run hides.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
out="${2:-$(mktemp -d /tmp/suite-under-load.XXXXXX)}"
mkdir -p "$out"
repo="$(pwd)"
commit="$(git rev-parse --short HEAD)"

# The load: a clean Debug build of a separate clone, over and over, so that the suite competes for
# both cores with the compiler the whole time.
load_dir="$out/load-clone"
rm -rf "$load_dir"
git clone -q "$repo" "$load_dir"
(
  cd "$load_dir"
  while true; do
    dotnet build AgentStateProcessor.sln -c Debug --no-incremental -nologo -v q \
      -nodeReuse:false -p:UseSharedCompilation=false >/dev/null 2>&1
  done
) &
load_pid=$!
stop_load() {
  local builds
  builds=$(pgrep -P "$load_pid")
  kill "$load_pid" 2>/dev/null
  [ -n "$builds" ] && kill $builds 2>/dev/null
  wait "$load_pid" 2>/dev/null
}
trap stop_load EXIT

echo "suite under load: $runs runs of .ci/run on fresh clones of $commit, a Debug build looping beside them; logs in $out"
summary="$out/summary.txt"
: >"$summary"
green=0
for i in $(seq 1 "$runs"); do
  clone="$out/run-$i"
  rm -rf "$clone"
  git clone -q "$repo" "$clone"
  start=$(date +%s)
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  (cd "$clone" && bash .ci/run) >"$out/run-$i.log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  totals=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/run-$i.log" | tail -n 1)
  skipped=$(grep -E '^[0-9]+ skipped$' "$out/run-$i.log" | tail -n 1)
  line="run $i: exit $status, ${totals:-no totals}, ${skipped:-no skip line}, ${seconds} s, load average at start $load_before, at end $(cut -d' ' -f1 /proc/loadavg)"
  echo "$line" | tee -a "$summary"
  if [ "$status" -eq 0 ]; then green=$((green + 1))
  else grep -E '^\s+Failed |Test host process crashed|Test Run Aborted' "$out/run-$i.log" | head -n 20 | tee -a "$summary"; fi
  rm -rf "$clone"
done
echo "$green of $runs runs green (commit $commit)" | tee -a "$summary"
[ "$green" -eq "$runs" ]
