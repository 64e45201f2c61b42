#!/usr/bin/env bash
# Runs every test, first installing the servers the tests start: mosquitto (Debian), s3rver and azurite (npm).
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

# The report's charts (ScottPlot on SkiaSharp) need a system font.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "test.sh: installing fonts-dejavu-core" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core fontconfig >/dev/null
fi

# Storage emulators the lake tests start: s3rver (S3) and azurite (Azure Blob), from npm, kept in .test-tools.
if [ ! -x .test-tools/node_modules/.bin/s3rver ] || [ ! -x .test-tools/node_modules/.bin/azurite-blob ]; then
  echo "test.sh: installing s3rver and azurite into .test-tools" >&2
  npm install --prefix .test-tools --no-audit --no-fund --loglevel=error s3rver@3 azurite@3 >/dev/null
fi

rm -rf TestResults
dotnet test WineFunctions.sln --logger "trx;LogFileName=results.trx" --results-directory TestResults "$@"
