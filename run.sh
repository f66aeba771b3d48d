#!/usr/bin/env bash
# Starts JisuDai on http://127.0.0.1:7071/api with embedded defaults (its own Azurite, data in .data/).
set -euo pipefail
cd "$(dirname "$0")"
[ -d tools/azurite/node_modules/azurite ] || npm ci --prefix tools/azurite --no-audit --no-fund
exec dotnet run --project standalone -c Release -- "$@"
