// Service Bus: the domain-events topic that the outbox publishes to, with one subscription per consumer.
// Keys are disabled; the app's identity may only send.
param name string
param location string
param tags object
param principalId string
param workspaceId string

@description('Reached only through private endpoints (main.bicep\'s privateNetworking): public network access off.')
param privateOnly bool = false

@description('Subscriptions on the domain-events topic, one per consuming system.')
param subscriptions array = [ 'accounting', 'collections', 'analytics' ]

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  // Private endpoints exist only on Premium.
  sku: privateOnly ? { name: 'Premium', tier: 'Premium', capacity: 1 } : { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
    minimumTlsVersion: '1.2'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'domain-events'
  properties: {
    requiresDuplicateDetection: true
    // An event copied to the outbox again by the next day's sweep is still recognised.
    duplicateDetectionHistoryTimeWindow: 'P7D'
    defaultMessageTimeToLive: 'P14D'
  }
}

resource consumers 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [for subscription in subscriptions: {
  parent: topic
  name: subscription
  properties: {
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT1M'
  }
}]

var dataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, principalId, dataSender)
  scope: topic
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
  }
}

output id string = namespace.id
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
