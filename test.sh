#!/usr/bin/env bash
# Runs every test of the solution. Azurite and the local Cosmos server come from tools/ (npm ci).
set -euo pipefail
cd "$(dirname "$0")"
[ -d tools/azurite/node_modules/azurite ] || npm ci --prefix tools/azurite --no-audit --no-fund
[ -d tools/cosmosdb/node_modules/@vercel/cosmosdb-server ] || npm ci --prefix tools/cosmosdb --no-audit --no-fund
dotnet build JisuDai.sln -c Release
dotnet test JisuDai.sln -c Release --no-build --logger "console;verbosity=normal"
