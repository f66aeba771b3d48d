#!/usr/bin/env bash
# Runs every test of the solution. Azurite and the local Cosmos server come from tools/ (npm ci).
set -euo pipefail
cd "$(dirname "$0")"
[ -d tools/azurite/node_modules/azurite ] || npm ci --prefix tools/azurite --no-audit --no-fund
[ -d tools/cosmosdb/node_modules/@vercel/cosmosdb-server ] || npm ci --prefix tools/cosmosdb --no-audit --no-fund
dotnet build JisuDai.sln -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test JisuDai.sln -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  # The projects' output interleaves; what failed, and why, is repeated last so the end of the log shows it.
  echo "=== what failed (dotnet test exited $status) ==="
  grep -E -A 25 "^\s+Failed [A-Za-z]|\[FAIL\]|error [A-Z]+[0-9]+|Test Run Aborted|The active test run was aborted" "$log" | grep -v -E "^\s+Passed " | tail -n 300 || true
fi
exit "$status"
