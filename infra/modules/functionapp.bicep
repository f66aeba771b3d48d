// The Function App: Linux Elastic Premium (EP1), .NET 10 isolated, always-ready instances so the scoring
// model stays in memory, health checks on /api/health. Every connection is identity-based. There is no Azure
// Files content share (it would need a storage key): the app runs from its deployment package instead.
param token string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param cosmosEndpoint string
param cosmosDatabase string
param appInsightsConnectionString string
param workspaceId string
param alwaysReadyInstances int
param maximumInstances int
param signingKeySecretUri string
param personalDataKeySecretUri string
@description('The vault whose key wraps every personal-data key.')
param keyVaultUri string
@description('The name of that key-encryption key.')
param personalDataKeyName string
param customerSigningKeySecretUri string
param customerSigningKeyPreviousSecretUri string
param realNameAccountId string
param realNameKeySecretUri string
param bureauBaseUrl string
param bureauMemberId string
param bureauKeySecretUri string
param paymentsMerchantKeySecretUri string
param paymentsApiV3KeySecretUri string
param paymentsBaseUrl string
param paymentsMerchantId string
param paymentsAppId string
param paymentsMerchantSerial string
param paymentsPlatformCertificate string
@description('The debit plan registered with the provider for debit agreements (委托代扣); empty: no debit agreements.')
param paymentsDebitPlanId string
param smsEndpoint string
param smsSender string
@description('Who is on call: E.164 phones, comma-separated, texted when a staff alert opens.')
param onCallPhones string = ''
@description('Who is on call by email: addresses, comma-separated, emailed when a staff alert opens (needs emailSender).')
param onCallEmails string = ''
@description('The sender address of email, on a domain linked to the Communication Services resource; empty: email is not sent.')
param emailSender string = ''
@description('Host name of the Service Bus namespace whose domain-events topic receives loan events.')
param serviceBusNamespace string

@description('The subnet the app and its staging slot integrate with, all outbound traffic routed through it (private networking); empty: none.')
param appSubnetId string = ''

@description('A staging slot that azd deploys to and the postdeploy hook swaps into production once its health check passes (blue-green).')
param stagingSlot bool = true

@description('The functions that are not HTTP-triggered (timers and queues): the staging slot runs none of them, so it never sweeps, pays or sends alongside production.')
param backgroundFunctions array = [
  'PurgeHistory'
  'IntakeSweep'
  'OverdueSweep'
  'ProposeWriteOffs'
  'ReconcileYesterday'
  'AnchorAuditLog'
  'MonitorRisk'
  'RetrainModel'
  'PublishLoanEvents'
  'SendNotification'
  'CheckUploadedFile'
]

@description('The client id of the Microsoft Entra app registration App Service authentication validates tokens for; empty to leave it off (the app then checks its own bearer tokens).')
param entraClientId string

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${token}'
  location: location
  tags: tags
  kind: 'elastic'
  sku: { name: 'EP1', tier: 'ElasticPremium' }
  properties: {
    reserved: true // Linux
    maximumElasticWorkerCount: maximumInstances
  }
}

// Names as the app reads them (functions/Configuration/AppSettings.cs, '__' for ':'), plus the ones the
// Functions host itself reads. A test compares this list with the app's.
var appSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  WEBSITE_RUN_FROM_PACKAGE: '1'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
  Telemetry__clientId: identityClientId
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  TaskHubName: 'JisuDai'
  Cosmos__AccountEndpoint: cosmosEndpoint
  Cosmos__Database: cosmosDatabase
  Cosmos__clientId: identityClientId
  PurgeHistorySchedule: '0 30 3 * * *'
  IntakeSweepSchedule: '0 */5 * * * *'
  OverdueSweepSchedule: '0 10 0 * * *'
  WriteOffProposalSchedule: '0 0 2 1 * *'
  ReconciliationSchedule: '0 0 10 * * *'
  RiskMonitoringSchedule: '0 0 1 * * *'
  RetrainingSchedule: '0 0 3 2 * *'
  Retraining__Window: 'ever30in6'
  Alerts__OnCallPhones: onCallPhones
  Alerts__OnCallEmails: onCallEmails
  Monitoring__PsiAlert: '0.25'
  Monitoring__CsiAlert: '0.25'
  Monitoring__AlertWindowDays: '7'
  Monitoring__AlertMinimumDecisions: '200'
  Monitoring__ApprovalRateMovePoints: '10'
  Monitoring__RuleHitRateFactor: '3'
  Monitoring__MinimumRuleHits: '10'
  Monitoring__FirstPaymentDefaultAlert: '0.15'
  Monitoring__MinimumMatured: '50'
  AuditAnchorSchedule: '0 55 23 * * *'
  EventPublishSchedule: '0 * * * * *'
  Events__ServiceBusNamespace: serviceBusNamespace
  Events__clientId: identityClientId
  JisuDai__Durable__HistoryRetentionDays: '90'
  JisuDai__Behaviour__RetentionDays: '180'
  Retention__SightingDays: '180'
  Retention__SendRecordDays: '365'
  Retention__DecisionDays: '1827'
  Retention__FileDays: '1827'
  // API Management appends the caller's address to X-Forwarded-For, then App Service's front end appends API Management's.
  JisuDai__Network__ForwardedHops: '2'
  JisuDai__Limits__Enabled: 'true'
  JisuDai__Diagnostics__Enabled: 'false'
  WEBSITE_TIME_ZONE: 'Asia/Shanghai'
  Risk__ModelName: 'credit-risk'
  Risk__ModelRefreshSeconds: '60'
  Rules__Name: 'default'
  Auth__Issuer: 'jisudai'
  Auth__Audience: 'jisudai-api'
  Auth__StaffAudience: 'jisudai-staff'
  Auth__SigningKey: '@Microsoft.KeyVault(SecretUri=${signingKeySecretUri})'
  Security__PersonalDataKey: '@Microsoft.KeyVault(SecretUri=${personalDataKeySecretUri})'
  Security__KeyVaultUrl: keyVaultUri
  Security__KeyName: personalDataKeyName
  Security__clientId: identityClientId
  Auth__CustomerSigningKey: '@Microsoft.KeyVault(SecretUri=${customerSigningKeySecretUri})'
  RealName__BaseUrl: 'https://faceid.tencentcloudapi.com/'
  RealName__SecretId: realNameAccountId
  RealName__SecretKey: '@Microsoft.KeyVault(SecretUri=${realNameKeySecretUri})'
  Bureau__BaseUrl: bureauBaseUrl
  Bureau__MemberId: bureauMemberId
  Bureau__SecretKey: '@Microsoft.KeyVault(SecretUri=${bureauKeySecretUri})'
  Bureau__CacheDays: '30'
  Auth__CustomerSigningKeyPrevious: empty(customerSigningKeyPreviousSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${customerSigningKeyPreviousSecretUri})'
  Approval__ReviewEscalateAfter: '04:00:00'
  Approval__ReviewDeclineAfter: '2.00:00:00'
  Approval__OfferExpiresAfter: '3.00:00:00'
  Approval__DecisionBudget: '00:00:00.300'
  Repayment__RemindAt: '09:00:00'
  Sms__Endpoint: smsEndpoint
  Sms__From: smsSender
  Email__From: emailSender
  Sms__clientId: identityClientId
  Auth__TrustAppServiceAuthentication: empty(entraClientId) ? 'false' : 'true'
  Payments__BaseUrl: paymentsBaseUrl
  Payments__MerchantId: paymentsMerchantId
  Payments__AppId: paymentsAppId
  Payments__MerchantSerial: paymentsMerchantSerial
  Payments__MerchantKey: '@Microsoft.KeyVault(SecretUri=${paymentsMerchantKeySecretUri})'
  Payments__PlatformCertificate: paymentsPlatformCertificate
  Payments__ApiV3Key: '@Microsoft.KeyVault(SecretUri=${paymentsApiV3KeySecretUri})'
  // The provider notifies the app directly at its own host name; the signature, not a token, authenticates it.
  Payments__NotifyUrl: 'https://func-${token}.azurewebsites.net/api/payments/notifications'
  Payments__PayoutWaitSeconds: '60'
  Payments__DebitPlanId: paymentsDebitPlanId
  Repayment__DebitRetryDays: '1,3,7'
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'func-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    vnetRouteAllEnabled: !empty(appSubnetId)
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      minimumElasticInstanceCount: alwaysReadyInstances
      healthCheckPath: '/api/health'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
  }
}

// The staging slot: the same code path and identity, its own task hub, provider notification address and no
// background functions. These settings are slot settings (sticky), so a swap moves the code, never them.
var stagingSettings = union(appSettings, {
  TaskHubName: 'JisuDaiStaging'
  Payments__NotifyUrl: 'https://func-${token}-staging.azurewebsites.net/api/payments/notifications'
}, toObject(backgroundFunctions, name => 'AzureWebJobs.${name}.Disabled', name => 'true'))

var stickySettings = concat([ 'TaskHubName', 'Payments__NotifyUrl' ], map(backgroundFunctions, name => 'AzureWebJobs.${name}.Disabled'))

resource staging 'Microsoft.Web/sites/slots@2023-12-01' = if (stagingSlot) {
  parent: site
  name: 'staging'
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    vnetRouteAllEnabled: !empty(appSubnetId)
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      minimumElasticInstanceCount: 1
      healthCheckPath: '/api/health'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [for setting in items(stagingSettings): { name: setting.key, value: setting.value }]
    }
  }
}

resource slotSettings 'Microsoft.Web/sites/config@2023-12-01' = if (stagingSlot) {
  parent: site
  name: 'slotConfigNames'
  properties: {
    appSettingNames: stickySettings
  }
}

resource stagingFtpPublishing 'Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2023-12-01' = if (stagingSlot) {
  parent: staging
  name: 'ftp'
  properties: { allow: false }
}

resource stagingScmPublishing 'Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2023-12-01' = if (stagingSlot) {
  parent: staging
  name: 'scm'
  properties: { allow: false }
}

// No basic-auth (user name and password) publishing over FTP or to the SCM site: deployments authenticate with Entra.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [ { category: 'FunctionAppLogs', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output name string = site.name
output endpoint string = 'https://${site.properties.defaultHostName}'
output stagingEndpoint string = stagingSlot ? 'https://func-${token}-staging.azurewebsites.net' : ''

// App Service authentication: validates Microsoft Entra tokens in front of the app and passes the principal on.
// Anonymous requests still reach the app (health, and the app's own 401s); a request with a bad token is refused here.
resource authentication 'Microsoft.Web/sites/config@2023-12-01' = if (!empty(entraClientId)) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: { allowedAudiences: [ 'api://${entraClientId}' ] }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}
