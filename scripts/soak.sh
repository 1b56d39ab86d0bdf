#!/usr/bin/env bash
# The soak: the embedded default (in-process mock cluster, simulated contact center, processor) at a
# steady rate for a bounded time, sampled every 5 s. Writes soak.csv, soak.png and soak.log (the printed
# samples and summary) into a new results directory and exits 0 when rate, lag and memory met their targets.
# Usage: scripts/soak.sh [minutes (30)] [events per second (2000)] [results directory (soak-results/<UTC time>)] [soak options...]
# Further soak options are passed on, e.g. --mock-process (the mock brokers in a child process, so that the
# memory judged is the processor's alone): scripts/soak.sh 30 2000 soak-results/split --mock-process
# Not part of CI: it runs for minutes. See docs/soak/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
rate="${2:-2000}"
out="${3:-soak-results/$(date -u +%Y%m%dT%H%M%SZ)}"
shift $(( $# < 3 ? $# : 3 ))
bash scripts/install-deps.sh
mkdir -p "$out"
dotnet build bench/AgentStateProcessor.Benchmarks/AgentStateProcessor.Benchmarks.csproj --configuration Release
dotnet run --no-build --configuration Release --project bench/AgentStateProcessor.Benchmarks -- \
  soak --minutes "$minutes" --rate "$rate" --out "$out" "$@" 2>&1 | tee "$out/soak.log"
