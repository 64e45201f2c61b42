#!/usr/bin/env bash
# Runs every test, first installing the servers the tests start (mosquitto from Debian's packages).
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter FullyQualifiedName~Contract
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/sbin/mosquitto ]; then
  echo "test.sh: installing mosquitto" >&2
  as_root apt-get update -qq
  # Tests start their own brokers; the package's own service is not needed.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >/dev/null
fi

rm -rf TestResults
dotnet test WineFunctions.sln --logger "trx;LogFileName=results.trx" --results-directory TestResults "$@"
