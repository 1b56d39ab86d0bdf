#!/usr/bin/env bash
# Installs the system packages the project needs on Debian: kcat and kafka-python (independent
# Kafka clients used by the tests) and python3-avro (the independent Avro implementation our schemas
# and bytes are checked against). The Kafka client's native library is not among them: it comes from the
# librdkafka.redist NuGet package, and a librdkafka installed on the system is never used.
set -euo pipefail
packages=(kcat python3-kafka python3-avro)
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it from https://dot.net and retry" >&2
  exit 1
fi
