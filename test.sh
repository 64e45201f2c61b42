#!/usr/bin/env bash
# Runs every test, first installing the servers the tests start: mosquitto, PostgreSQL, Chromium (Debian), s3rver and azurite (npm),
# the OpenAPI linter (npm) and client generator (dotnet tool), and what the Terraform checks read: HashiCorp's HCL parser and the providers' schemas (npm).
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter FullyQualifiedName~Contract;
# ./test.sh --filter Category=Unit runs the tests that need no server, in seconds, installing nothing.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The fast subset (./test.sh --filter Category=Unit) needs no server: nothing to install.
if [[ " $* " == *"Category=Unit"* ]]; then
  exec dotnet test WineFunctions.sln "$@"
fi

# Debian packages the tests start: mosquitto (brokers), postgresql (the ratings API's production database),
# chromium and chromium-driver (the ratings page in a real browser). Each is installed only when missing.
missing=()
[ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  # Tests start their own servers; the packages' own services are not needed.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The report's charts (ScottPlot on SkiaSharp) need a system font.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "test.sh: installing fonts-dejavu-core" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core fontconfig >/dev/null
fi

# Storage emulators the lake tests start: s3rver (S3) and azurite (Azure Blob), from npm, kept in .test-tools;
# and axe-core, which the ratings page tests run in the browser to check accessibility.
if [ ! -x .test-tools/node_modules/.bin/s3rver ] || [ ! -x .test-tools/node_modules/.bin/azurite-blob ] || [ ! -f .test-tools/node_modules/axe-core/axe.min.js ]; then
  echo "test.sh: installing s3rver, azurite and axe-core into .test-tools" >&2
  npm install --prefix .test-tools --no-audit --no-fund --loglevel=error s3rver@3 azurite@3 axe-core@4 >/dev/null
fi

# The ratings API's contract checks: Redocly's OpenAPI linter (npm), and Kiota (a dotnet tool,
# dotnet-tools.json) regenerating the C# client from the served document.
if [ ! -f .test-tools/node_modules/@redocly/cli/package.json ]; then
  echo "test.sh: installing @redocly/cli into .test-tools" >&2
  npm install --prefix .test-tools --no-audit --no-fund --loglevel=error @redocly/cli@2 >/dev/null
fi
dotnet tool restore >/dev/null

# The Terraform checks (tests/WineFunctions.Tests/Deploy): HashiCorp's HCL parser, compiled to WebAssembly.
if [ ! -f .test-tools/node_modules/@cdktf/hcl2json/package.json ]; then
  echo "test.sh: installing @cdktf/hcl2json into .test-tools" >&2
  npm install --prefix .test-tools --no-audit --no-fund --loglevel=error @cdktf/hcl2json@0.21 >/dev/null
fi

# ... and the provider schemas, taken from the type descriptions (.jsii) of the CDKTF provider packages
# (aws 6.25.0, azurerm 4.55.0), compacted once; only that file of each package is kept.
mkdir -p .test-tools/provider-schemas
for provider in aws@21.22.1 azurerm@14.23.1; do
  schema=".test-tools/provider-schemas/${provider%@*}.json"
  if [ ! -s "$schema" ]; then
    echo "test.sh: extracting the ${provider%@*} provider schema from @cdktf/provider-$provider" >&2
    unpacked="$(mktemp -d)"
    (cd "$unpacked" && npm pack --silent "@cdktf/provider-$provider" >/dev/null && tar -xzf ./*.tgz package/.jsii)
    node tests/WineFunctions.Tests/Deploy/provider-schema.mjs "$unpacked/package/.jsii" > "$schema.tmp"
    mv "$schema.tmp" "$schema"
    rm -rf "$unpacked"
  fi
done

rm -rf TestResults
dotnet test WineFunctions.sln --logger "trx;LogFileName=results.trx" --results-directory TestResults "$@"
