#!/usr/bin/env bash
# azd's postdeploy hook (azure.yaml): azd has deployed the api to the staging slot. Wait until the slot's health
# check answers 200, swap it into production, and check production's health; if production is not healthy within
# the same time, swap back, so the previous release serves again. Needs the Azure CLI signed in (az login).
# docs/deploy.md, Releases, says how to roll back by hand.
set -euo pipefail

: "${AZURE_RESOURCE_GROUP:?is set by azd from the deployment outputs}"
: "${AZURE_FUNCTION_APP_NAME:?is set by azd from the deployment outputs}"
: "${SERVICE_API_ENDPOINT:?is set by azd from the deployment outputs}"
if [ -z "${SERVICE_API_STAGING_ENDPOINT:-}" ]; then
  echo "release: no staging slot (stagingSlot=false): azd deployed to production directly."
  exit 0
fi

timeout_seconds="${JISUDAI_RELEASE_TIMEOUT_SECONDS:-300}"
poll_seconds="${JISUDAI_RELEASE_POLL_SECONDS:-5}"

healthy_within() { # url: 0 once /api/health answers 200, 1 if it has not within the timeout
  local deadline=$((SECONDS + timeout_seconds)) status
  while :; do
    status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$1/api/health" || true)"
    [ "$status" = "200" ] && return 0
    [ "$SECONDS" -ge "$deadline" ] && { echo "release: $1/api/health answered ${status:-nothing}, not 200, for ${timeout_seconds}s" >&2; return 1; }
    sleep "$poll_seconds"
  done
}

swap() {
  az functionapp deployment slot swap --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --slot staging --target-slot production
}

if ! healthy_within "$SERVICE_API_STAGING_ENDPOINT"; then
  echo "release: staging is not healthy; production is unchanged." >&2
  exit 1
fi

swap
echo "release: swapped staging into production."
if ! healthy_within "$SERVICE_API_ENDPOINT"; then
  echo "release: production is not healthy after the swap; swapping back." >&2
  swap
  exit 1
fi

echo "release: production is healthy. The previous release is in the staging slot; to roll back, swap again."
