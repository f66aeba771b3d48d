// Blobs, queues and tables for the app and the Durable task hub. Shared-key access is disabled: the app's
// identity has the data roles the Functions host and Durable Functions need, and nothing more.
param name string
param location string
param tags object
param principalId string
param workspaceId string

@description('Reached only through private endpoints (main.bicep\'s privateNetworking): public network access off.')
param privateOnly bool = false

@description('The deploying user (azd sets AZURE_PRINCIPAL_ID), given the data roles the jisudai CLI needs (tables for the keys commands, blobs for the model registry); empty: none.')
param deployerPrincipalId string = ''

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 14 }
    containerDeleteRetentionPolicy: { enabled: true, days: 14 }
  }
}

@description('Days an entry of the staff audit log and a daily anchor of its head are kept unchangeable.')
param auditRetentionDays int = 2557

// The staff audit log's entries (append blobs) and the daily anchors of its head: a time-based retention policy that
// allows protected appends only, so an entry can be added and nothing written changed or deleted, by the app's identity
// or anyone, until the retention ends. Created unlocked (ARM cannot lock a policy declaratively); docs/deploy.md says
// how to lock it once the deployment is settled.
resource auditContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in ['auditlog', 'auditanchors']: {
  parent: blobs
  name: container
}]

resource auditRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = [for (container, i) in ['auditlog', 'auditanchors']: {
  parent: auditContainers[i]
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditRetentionDays
    allowProtectedAppendWrites: true
  }
}]

var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // host storage, task hub leases and large messages
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // queue triggers, task hub queues
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // task hub history and instances, app tables
}

resource grants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(account.id, principalId, role.value)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

var deployerRoles = {
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource deployerGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(deployerRoles): if (!empty(deployerPrincipalId)) {
  name: guid(account.id, deployerPrincipalId, role.value)
  scope: account
  properties: {
    principalId: deployerPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {}
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {}
}

// Who read or changed what, for each service that holds the app's data: blobs (files, models, the audit log), tables
// (customers, applications, loans, keys) and queues (notifications, file checks, the task hub).
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobs
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'audit', enabled: true } ]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tables
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'audit', enabled: true } ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queues
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'audit', enabled: true } ]
  }
}

output id string = account.id
output name string = account.name
