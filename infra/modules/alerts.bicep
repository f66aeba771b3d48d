// Azure Monitor alerts for what the app cannot report itself: its host failing, and messages it gave up on (moved
// to a poison queue after five tries). Both are log alerts over the workspace-based Application Insights, sent to an
// action group that emails whoever is on call. The app's own alerts (monitoring thresholds, reconciliation findings,
// loans the sweep set aside) are staff alert records, texted to Alerts:OnCallPhones.
param token string
param location string
param tags object
param appInsightsId string

@description('Who Azure Monitor emails when an alert fires; none: the alerts still fire and show in the portal.')
param alertEmails array = []

resource onCall 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${token}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'jisudai'
    enabled: true
    emailReceivers: [for (email, i) in alertEmails: { name: 'on-call-${i}', emailAddress: email, useCommonAlertSchema: true }]
  }
}

var rules = [
  {
    name: 'host-failures'
    description: 'Function invocations failed: 10 or more in 15 minutes.'
    severity: 1
    query: 'AppRequests | where Success == false'
    threshold: 9
  }
  {
    name: 'poison-messages'
    description: 'A queue message was moved to a poison queue after its last try (notifications, uploads): something was not sent or checked.'
    severity: 2
    query: 'AppTraces | where Message has "-poison"'
    threshold: 0
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for rule in rules: {
  name: 'alert-${rule.name}-${token}'
  location: location
  tags: tags
  properties: {
    description: rule.description
    displayName: rule.name
    severity: rule.severity
    enabled: true
    scopes: [ appInsightsId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: rule.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [ onCall.id ] }
  }
}]

output actionGroupId string = onCall.id
