// Cosmos DB for NoSQL: one container per document kind, partitioned by customer, keys disabled. The
// containers and partition key match functions/Storage (DocumentKinds, CosmosContainers); a test checks.
param name string
param location string
param tags object
param principalId string
param maxThroughput int
param workspaceId string

@description('Reached only through private endpoints (main.bicep\'s privateNetworking): public network access off.')
param privateOnly bool = false

@description('The stored document kinds; each is a container partitioned by /customerId.')
param containers array = [ 'customers', 'applications', 'loans', 'decisions', 'staffrequests', 'payments', 'debitagreements', 'phonesignins', 'refreshfamilies', 'residentidentities', 'staffidentities', 'files', 'bureauinquiries', 'outcomes' ]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
    minimalTlsVersion: 'Tls12'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [ { locationName: location, failoverPriority: 0, isZoneRedundant: false } ]
    backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: 'jisudai'
  properties: {
    resource: { id: 'jisudai' }
    options: { autoscaleSettings: { maxThroughput: maxThroughput } }
  }
}

// The stores read by id within a partition and list a partition: only /customerId needs an index, so
// every other path is excluded to keep writes cheap. Later queries add their paths here.
resource documents 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in containers: {
  parent: database
  name: container
  properties: {
    resource: {
      id: container
      partitionKey: { paths: [ '/customerId' ], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [ { path: '/customerId/?' } ]
        excludedPaths: [ { path: '/*' }, { path: '/"_etag"/?' } ]
      }
    }
  }
}]

// Cosmos DB Built-in Data Contributor: read and write items, nothing at the control plane.
resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, principalId, 'data-contributor')
  properties: {
    principalId: principalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    scope: '${account.id}/dbs/${database.name}'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'audit', enabled: true } ]
  }
}

output id string = account.id
output endpoint string = account.properties.documentEndpoint
output database string = database.name
