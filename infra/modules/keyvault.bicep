// Key Vault with RBAC. The app reads its secrets through Key Vault references: the bearer-token signing key, the
// ES256 key customers' access tokens are signed with, the personal-data lookup key (HMAC fingerprints; it also opens
// values sealed before envelope encryption), the real-name and bureau keys, and the payment provider's merchant
// private key and API v3 key. The RSA key wraps every owner's personal-data key (envelope encryption through the Keys
// REST API); its rotation policy makes a new version each year, and `jisudai keys rewrap` moves data keys onto it.
// The app's identity may only wrap and unwrap with it. Soft delete and purge protection keep a mistaken deletion
// from destroying every borrower's data.
param name string
param location string
param tags object
param principalId string
param workspaceId string

@description('Reached only through private endpoints (main.bicep\'s privateNetworking): public network access off.')
param privateOnly bool = false

@description('The deploying user (AZURE_PRINCIPAL_ID), made Key Vault Crypto Officer on the personal-data key so `jisudai keys rotate` can run; empty: nobody.')
param deployerPrincipalId string = ''

@secure()
@description('The HS256 signing key of the API\'s bearer tokens, base64 of at least 32 bytes.')
param authSigningKey string

@secure()
@description('The EC P-256 private key customers\' access tokens are signed with (ES256): PKCS#8 DER in base64.')
param customerSigningKey string

@secure()
@description('During a rotation, the customer signing key signed with before (same form); empty otherwise.')
param customerSigningKeyPrevious string = ''

@secure()
@description('The real-name check\'s API secret key (TencentCloud SecretKey).')
param realNameSecretKey string

@secure()
@description('The credit bureau member secret requests are signed with.')
param bureauSecretKey string

@secure()
@description('The AES-256-GCM key that seals personal data at rest, base64 of 32 bytes.')
param personalDataKey string

@secure()
@description('Our merchant API private key at the payment provider, PEM.')
param paymentsMerchantKey string

@secure()
@description('The payment provider\'s API v3 key (notifications are encrypted under it).')
param paymentsApiV3Key string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
  }
}

resource piiKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'pii-key-encryption-key'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [ 'wrapKey', 'unwrapKey' ]
    rotationPolicy: {
      attributes: { expiryTime: 'P2Y' }
      lifetimeActions: [ { action: { type: 'rotate' }, trigger: { timeAfterCreate: 'P1Y' } } ]
    }
  }
}

// The app reads the token signing key through a Key Vault reference; its identity may read this one secret.
resource signingKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'auth-signing-key'
  properties: { value: authSigningKey, contentType: 'base64' }
}

resource customerSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'auth-customer-signing-key'
  properties: { value: customerSigningKey, contentType: 'base64' }
}

resource customerSigningKeyPreviousSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(customerSigningKeyPrevious)) {
  parent: vault
  name: 'auth-customer-signing-key-previous'
  properties: { value: customerSigningKeyPrevious, contentType: 'base64' }
}

resource realNameKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'real-name-secret-key'
  properties: { value: realNameSecretKey }
}

resource bureauKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bureau-secret-key'
  properties: { value: bureauSecretKey }
}

resource dataKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'personal-data-key'
  properties: { value: personalDataKey, contentType: 'base64' }
}

resource merchantKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'payments-merchant-key'
  properties: { value: paymentsMerchantKey, contentType: 'application/x-pem-file' }
}

resource apiV3Key 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'payments-api-v3-key'
  properties: { value: paymentsApiV3Key, contentType: 'text/plain' }
}

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource merchantKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(merchantKey.id, principalId, secretsUser)
  scope: merchantKey
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource apiV3KeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(apiV3Key.id, principalId, secretsUser)
  scope: apiV3Key
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource signingKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signingKey.id, principalId, secretsUser)
  scope: signingKey
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource customerSigningKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(customerSigningKeySecret.id, principalId, secretsUser)
  scope: customerSigningKeySecret
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource customerSigningKeyPreviousReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(customerSigningKeyPrevious)) {
  name: guid(vault.id, 'auth-customer-signing-key-previous', principalId, secretsUser)
  scope: customerSigningKeyPreviousSecret
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource bureauKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bureauKey.id, principalId, secretsUser)
  scope: bureauKey
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource realNameKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(realNameKey.id, principalId, secretsUser)
  scope: realNameKey
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource dataKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataKey.id, principalId, secretsUser)
  scope: dataKey
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

// Key Vault Crypto Service Encryption User: read the key's metadata, wrap and unwrap; nothing else (no sign,
// encrypt, decrypt, rotate or delete).
var cryptoUser = 'e147488a-f6f5-4113-8e2d-b22465e65bf6'

resource wrapper 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(piiKey.id, principalId, cryptoUser)
  scope: piiKey
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoUser)
  }
}

// Key Vault Crypto Officer on that one key: rotate it and rewrap (the CLI's keys commands); never its secrets.
var cryptoOfficer = '14b46e9e-c2b7-41b4-b07b-48a6ebf60603'

resource rotator 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(piiKey.id, deployerPrincipalId, cryptoOfficer)
  scope: piiKey
  properties: {
    principalId: deployerPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoOfficer)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'audit', enabled: true } ]
  }
}

output id string = vault.id
output uri string = vault.properties.vaultUri
output personalDataKeyName string = piiKey.name
output signingKeySecretUri string = signingKey.properties.secretUri
output personalDataKeySecretUri string = dataKey.properties.secretUri
output customerSigningKeySecretUri string = customerSigningKeySecret.properties.secretUri
output realNameKeySecretUri string = realNameKey.properties.secretUri
output bureauKeySecretUri string = bureauKey.properties.secretUri
// Where the previous key is while a rotation is under way (main.bicep refers the app to it only then).
output customerSigningKeyPreviousSecretUri string = '${vault.properties.vaultUri}secrets/auth-customer-signing-key-previous'

output paymentsMerchantKeySecretUri string = merchantKey.properties.secretUri
output paymentsApiV3KeySecretUri string = apiV3Key.properties.secretUri
