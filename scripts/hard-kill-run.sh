#!/usr/bin/env bash
# Runs only the hard-kill test (tests/AgentStateProcessor.IntegrationTests/Faults/HardKillTests.cs)
# with more kills than CI's 5: the processor in a process of its own, killed with SIGKILL at seeded
# random moments while input keeps arriving, then checked against the local fold. It prints the
# seed, every kill and the figures (records, snapshots checked, dead letters, state changes and their extra copies).
# Usage: scripts/hard-kill-run.sh [kills, default 20] [seed, default random]
set -euo pipefail
cd "$(dirname "$0")/.."
export HARD_KILLS="${1:-20}"
if [ -n "${2:-}" ]; then export HARD_KILL_SEED="$2"; fi
bash scripts/install-deps.sh
dotnet test tests/AgentStateProcessor.IntegrationTests/AgentStateProcessor.IntegrationTests.csproj --configuration Release \
  --filter "FullyQualifiedName~Faults.HardKillTests" --logger "console;verbosity=detailed"
