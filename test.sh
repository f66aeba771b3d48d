#!/usr/bin/env bash
# Runs every test of the solution. Azurite comes from tools/azurite (npm ci --prefix tools/azurite).
set -euo pipefail
cd "$(dirname "$0")"
[ -d tools/azurite/node_modules/azurite ] || npm ci --prefix tools/azurite --no-audit --no-fund
dotnet build JisuDai.sln -c Release
dotnet test JisuDai.sln -c Release --no-build --logger "console;verbosity=normal"
