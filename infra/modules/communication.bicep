// Azure Communication Services for SMS and email. Local (key) authentication is disabled: the app reaches it with its
// managed identity. The SMS sender number is bought out of band (phone numbers cannot be bought by a template) and
// given as the smsSender parameter. With azureManagedEmail an Email Communication Service with an Azure-managed domain
// (DoNotReply@<guid>.azurecomm.net, verified by Azure, no DNS to set up) is linked, and emailSender is its address; a
// lender's own domain needs DNS records verified out of band, so it is linked by hand and named in AZURE_EMAIL_SENDER.
param name string
param tags object
param principalId string
param workspaceId string

@description('Where Communication Services keeps its data.')
param dataLocation string = 'Asia Pacific'

@description('Link an Email Communication Service with an Azure-managed sender domain.')
param azureManagedEmail bool = false

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = if (azureManagedEmail) {
  name: '${name}-email'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource emailDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = if (azureManagedEmail) {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    disableLocalAuth: true
    linkedDomains: azureManagedEmail ? [ emailDomain.id ] : []
  }
}

// Communication Services' data plane authorises an Entra token by the caller's read and write permission on the
// resource (no data actions exist for SMS); Contributor would also let the app delete the resource or regenerate its
// keys. This role holds those two permissions and nothing else, assignable in this resource group only.
resource smsSenderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'jisudai-sms-sender')
  properties: {
    roleName: 'JisuDai SMS Sender (${resourceGroup().name})'
    description: 'Send SMS through Azure Communication Services with Microsoft Entra ID: read and write on the resource, no delete, no keys.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Communication/CommunicationServices/read'
          'Microsoft.Communication/CommunicationServices/write'
        ]
      }
    ]
    assignableScopes: [ resourceGroup().id ]
  }
}

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, principalId, smsSenderRole.id)
  scope: communication
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: smsSenderRole.id
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

@description('The address email is sent from when the Azure-managed domain is linked; empty otherwise.')
output emailSender string = azureManagedEmail ? 'DoNotReply@${emailDomain!.properties.mailFromSenderDomain}' : ''
