// JisuDai in one resource group: the Function App on Elastic Premium and everything it talks to, reached
// through one user-assigned managed identity (no keys or connection strings in app settings).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region for all resources.')
param location string

@minValue(1)
@maxValue(20)
@description('Always-ready instances: at least one keeps the scoring model warm in memory.')
param alwaysReadyInstances int = 1

@maxValue(100)
@description('Most instances the Premium plan may scale out to.')
param maximumInstances int = 10

@minValue(1000)
@description('Autoscale ceiling of the Cosmos DB database, in RU/s (it scales between 10% and 100% of this).')
param cosmosMaxThroughput int = 1000

@secure()
@description('The HS256 signing key of the API\'s bearer tokens, base64 of at least 32 bytes (azd env set AZURE_AUTH_SIGNING_KEY "$(openssl rand -base64 32)").')
param authSigningKey string

@secure()
@description('The EC P-256 private key customers\' access tokens are signed with, PKCS#8 DER in base64 (azd env set AZURE_CUSTOMER_SIGNING_KEY "$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -outform DER | base64 -w0)").')
param customerSigningKey string

@description('The real-name check\'s API key id, a TencentCloud SecretId with FaceID access (azd env set AZURE_REAL_NAME_SECRET_ID ...).')
param realNameAccountId string

@secure()
@description('Its secret key (azd env set AZURE_REAL_NAME_SECRET_KEY ...).')
param realNameSecretKey string

@description('The credit bureau\'s member endpoint (azd env set AZURE_BUREAU_URL https://...).')
param bureauBaseUrl string

@description('The lender\'s member id at the bureau (azd env set AZURE_BUREAU_MEMBER_ID ...).')
param bureauMemberId string

@secure()
@description('The member secret (azd env set AZURE_BUREAU_SECRET ...).')
param bureauSecretKey string

@secure()
@description('During a rotation only: the customer signing key used before, still accepted until its tokens run out (azd env set AZURE_CUSTOMER_SIGNING_KEY_PREVIOUS <the old key>; clear it 15 minutes after provisioning).')
param customerSigningKeyPrevious string = ''

@secure()
@description('The AES-256-GCM key that seals personal data, base64 of 32 bytes (azd env set AZURE_PERSONAL_DATA_KEY "$(openssl rand -base64 32)"). Keep it: data sealed with a lost key cannot be read.')
param personalDataKey string

@description('Who Azure Monitor emails when the host fails or a message goes to a poison queue (azd env set AZURE_ALERT_EMAIL ops@example.com); empty: nobody.')
param alertEmail string = ''

@description('Who is on call for the app\'s own alerts (monitoring, reconciliation, sweep): E.164 phones, comma-separated, texted when an alert opens (azd env set AZURE_ONCALL_PHONES "+86138...").')
param onCallPhones string = ''

@description('Who is on call by email for the app\'s own alerts: addresses, comma-separated, emailed when an alert opens (azd env set AZURE_ONCALL_EMAILS "oncall@lender.example"); needs emailSender.')
param onCallEmails string = ''

@description('The address email comes from, of a domain verified in an Email Communication Service linked to the Communication Services resource (azd env set AZURE_EMAIL_SENDER "DoNotReply@..."); empty: the Azure-managed domain\'s address when azureManagedEmail, else no email is sent.')
param emailSender string = ''

@description('Create an Email Communication Service with an Azure-managed domain, link it to Communication Services and send from its DoNotReply address unless emailSender names another (azd env set AZURE_MANAGED_EMAIL true).')
param azureManagedEmail bool = false

@description('The number (E.164) or alphanumeric sender id SMS come from, bought in Communication Services (azd env set AZURE_SMS_SENDER "+1...").')
param smsSender string

@description('The payment provider\'s merchant API root (WeChat Pay API v3\'s protocol).')
param paymentsBaseUrl string = 'https://api.mch.weixin.qq.com'

@description('Our merchant number at the payment provider (azd env set AZURE_PAYMENTS_MERCHANT_ID ...).')
param paymentsMerchantId string

@description('Our app id at the payment provider (azd env set AZURE_PAYMENTS_APP_ID ...).')
param paymentsAppId string

@description('The serial number of our merchant API certificate (azd env set AZURE_PAYMENTS_MERCHANT_SERIAL ...).')
param paymentsMerchantSerial string

@description('The provider\'s platform certificate, PEM (azd env set AZURE_PAYMENTS_PLATFORM_CERTIFICATE "$(cat platform-cert.pem)").')
param paymentsPlatformCertificate string

@description('The debit plan registered with the provider for debit agreements, 委托代扣 (azd env set AZURE_PAYMENTS_DEBIT_PLAN_ID ...); empty: borrowers cannot sign debit agreements.')
param paymentsDebitPlanId string = ''

@secure()
@description('Our merchant API private key, PEM (azd env set AZURE_PAYMENTS_MERCHANT_KEY "$(cat apiclient_key.pem)"); kept in Key Vault.')
param paymentsMerchantKey string

@secure()
@description('The API v3 key notifications are encrypted under, 32 characters (azd env set AZURE_PAYMENTS_APIKEY ...); kept in Key Vault.')
param paymentsApiV3Key string

@description('The client id of a Microsoft Entra app registration for App Service authentication (azd env set AZURE_ENTRA_CLIENT_ID ...); empty to leave it off.')
param entraClientId string = ''

@description('The email API Management sends its notices to (azd env set AZURE_API_PUBLISHER_EMAIL ops@your-lender.cn).')
param apiPublisherEmail string

@description('Reach storage, Cosmos DB, Key Vault and Service Bus only through private endpoints in a virtual network the Function App integrates with; their public access is turned off, and Service Bus becomes Premium (private endpoints need it). Default off.')
param privateNetworking bool = false

@description('The deploying user\'s object id (azd sets AZURE_PRINCIPAL_ID): given the storage data roles and the key rotation the jisudai CLI needs; empty: none.')
param deployerPrincipalId string = ''

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  params: { name: 'id-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: { token: token, location: location, tags: tags, principalId: identity.outputs.principalId }
}

module alerts 'modules/alerts.bicep' = {
  scope: group
  params: { token: token, location: location, tags: tags, appInsightsId: monitoring.outputs.appInsightsId, alertEmails: empty(alertEmail) ? [] : [ alertEmail ] }
}

module storage 'modules/storage.bicep' = {
  scope: group
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    privateOnly: privateNetworking
    deployerPrincipalId: deployerPrincipalId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  scope: group
  params: {
    name: 'cosmos-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    maxThroughput: cosmosMaxThroughput
    workspaceId: monitoring.outputs.workspaceId
    privateOnly: privateNetworking
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: group
  params: {
    name: 'sb-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    privateOnly: privateNetworking
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: group
  params: {
    authSigningKey: authSigningKey
    personalDataKey: personalDataKey
    customerSigningKey: customerSigningKey
    customerSigningKeyPrevious: customerSigningKeyPrevious
    realNameSecretKey: realNameSecretKey
    bureauSecretKey: bureauSecretKey
    paymentsMerchantKey: paymentsMerchantKey
    paymentsApiV3Key: paymentsApiV3Key
    name: 'kv-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    privateOnly: privateNetworking
    deployerPrincipalId: deployerPrincipalId
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  scope: group
  params: {
    token: token
    location: location
    tags: tags
    endpoints: [
      { name: 'st${token}', id: storage.outputs.id, groupId: 'blob', zone: 'privatelink.blob.${environment().suffixes.storage}' }
      { name: 'st${token}', id: storage.outputs.id, groupId: 'queue', zone: 'privatelink.queue.${environment().suffixes.storage}' }
      { name: 'st${token}', id: storage.outputs.id, groupId: 'table', zone: 'privatelink.table.${environment().suffixes.storage}' }
      { name: 'cosmos-${token}', id: cosmos.outputs.id, groupId: 'Sql', zone: 'privatelink.documents.azure.com' }
      { name: 'kv-${token}', id: keyVault.outputs.id, groupId: 'vault', zone: 'privatelink.vaultcore.azure.net' }
      { name: 'sb-${token}', id: serviceBus.outputs.id, groupId: 'namespace', zone: 'privatelink.servicebus.windows.net' }
    ]
  }
}

module communication 'modules/communication.bicep' = {
  scope: group
  params: {
    name: 'acs-${token}'
    tags: tags
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    azureManagedEmail: azureManagedEmail
  }
}

module functionApp 'modules/functionapp.bicep' = {
  scope: group
  params: {
    token: token
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmos.outputs.database
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    workspaceId: monitoring.outputs.workspaceId
    alwaysReadyInstances: alwaysReadyInstances
    maximumInstances: maximumInstances
    signingKeySecretUri: keyVault.outputs.signingKeySecretUri
    personalDataKeySecretUri: keyVault.outputs.personalDataKeySecretUri
    keyVaultUri: keyVault.outputs.uri
    personalDataKeyName: keyVault.outputs.personalDataKeyName
    customerSigningKeySecretUri: keyVault.outputs.customerSigningKeySecretUri
    realNameAccountId: realNameAccountId
    realNameKeySecretUri: keyVault.outputs.realNameKeySecretUri
    bureauBaseUrl: bureauBaseUrl
    bureauMemberId: bureauMemberId
    bureauKeySecretUri: keyVault.outputs.bureauKeySecretUri
    customerSigningKeyPreviousSecretUri: empty(customerSigningKeyPrevious) ? '' : keyVault.outputs.customerSigningKeyPreviousSecretUri
    paymentsMerchantKeySecretUri: keyVault.outputs.paymentsMerchantKeySecretUri
    paymentsApiV3KeySecretUri: keyVault.outputs.paymentsApiV3KeySecretUri
    paymentsBaseUrl: paymentsBaseUrl
    paymentsMerchantId: paymentsMerchantId
    paymentsAppId: paymentsAppId
    paymentsMerchantSerial: paymentsMerchantSerial
    paymentsPlatformCertificate: paymentsPlatformCertificate
    paymentsDebitPlanId: paymentsDebitPlanId
    smsEndpoint: communication.outputs.endpoint
    smsSender: smsSender
    onCallPhones: onCallPhones
    onCallEmails: onCallEmails
    emailSender: empty(emailSender) ? communication.outputs.emailSender : emailSender
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    entraClientId: entraClientId
    appSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
  }
}

module gateway 'modules/apim.bicep' = {
  scope: group
  params: {
    token: token
    location: location
    tags: tags
    publisherEmail: apiPublisherEmail
    functionAppEndpoint: functionApp.outputs.endpoint
    workspaceId: monitoring.outputs.workspaceId
    authIssuer: 'jisudai'
    authAudience: 'jisudai-api'
    entraClientId: entraClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_ENDPOINT string = functionApp.outputs.endpoint
output SERVICE_API_STAGING_ENDPOINT string = functionApp.outputs.stagingEndpoint
output API_GATEWAY_URL string = gateway.outputs.gatewayUrl
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
