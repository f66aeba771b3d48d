// Azure Communication Services for SMS. Local (key) authentication is disabled: the app reaches it with its managed
// identity. The sender number is bought out of band (phone numbers cannot be bought by a template) and given as
// the smsSender parameter.
param name string
param tags object
param principalId string
param workspaceId string

@description('Where Communication Services keeps its data.')
param dataLocation string = 'Asia Pacific'

resource communication 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    disableLocalAuth: true
  }
}

var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c' // Communication Services' data plane accepts Entra tokens from this role

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, principalId, contributor)
  scope: communication
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: communication
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
  }
}

output endpoint string = 'https://${communication.properties.hostName}/'
