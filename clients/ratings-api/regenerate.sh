#!/usr/bin/env bash
# Regenerates the C# client (Generated/) with Kiota (the version in dotnet-tools.json) from the
# document the ratings API serves: the test that compares the two writes it instead when asked.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet tool restore >/dev/null
WINE_REGENERATE_CLIENT=1 dotnet test tests/WineFunctions.Tests \
  --filter "FullyQualifiedName~GeneratedClientTests.The_committed_client_is_what_Kiota_generates_from_the_served_document"
