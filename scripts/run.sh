#!/usr/bin/env bash
# Runs the processor. With no Kafka configured (no Kafka__BootstrapServers), the embedded default:
# an in-process Kafka-protocol cluster fed by a simulated contact center, with live progress.
# Arguments are passed to the processor (e.g. --Embedded:Agents=1000, or: replay samples/events.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec dotnet run --project src/AgentStateProcessor --configuration Release -- "$@"
