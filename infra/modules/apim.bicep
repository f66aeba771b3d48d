// API Management (Basic v2: the Consumption tier has no rate-limit-by-key or quota-by-key) in front of the Function
// App, as the gateway: every route under /api passed through, customer tokens validated against the app's own
// OpenID configuration (and staff tokens against Microsoft Entra's, when a registration is given), limits by address
// and by token subject, gateway logs to Log Analytics. The app checks every token again and has its own limits
// (docs/applications.md); these count across all instances.
param token string
param location string
param tags object
param publisherEmail string
param functionAppEndpoint string
param workspaceId string
param authIssuer string
param authAudience string
param entraClientId string

resource apim 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: 'apim-${token}'
  location: location
  tags: tags
  sku: { name: 'BasicV2', capacity: 1 }
  properties: {
    publisherEmail: publisherEmail
    publisherName: 'JisuDai'
  }
}

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: apim
  name: 'jisudai'
  properties: {
    displayName: 'JisuDai'
    path: 'api'
    serviceUrl: '${functionAppEndpoint}/api'
    protocols: [ 'https' ]
    subscriptionRequired: false
  }
}

var methods = [ 'GET', 'POST', 'PUT', 'DELETE' ]

resource operations 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = [for method in methods: {
  parent: api
  name: 'all-${toLower(method)}'
  properties: {
    displayName: '${method} /*'
    method: method
    urlTemplate: '/*'
  }
}]

var entraAuthority = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
var entraConfig = empty(entraClientId) ? '' : '<openid-config url="${entraAuthority}/.well-known/openid-configuration" />'
var entraAudience = empty(entraClientId) ? '' : '<audience>api://${entraClientId}</audience>'
var entraIssuer = empty(entraClientId) ? '' : '<issuer>${entraAuthority}</issuer>'

// Sign-in, the published keys, health and the payment provider's notifications (verified by signature) take no token.
var anonymous = '(p.StartsWith("/api/auth/") || p.StartsWith("/api/.well-known/") || p == "/api/health" || p == "/api/payments/notifications")'

resource policy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: api
  name: 'policy'
  properties: {
    // rawxml: expressions keep their double quotes unescaped inside attributes, as API Management's policy documents are written.
    format: 'rawxml'
    // A multi-line string takes no interpolation: the placeholders are replaced (the longer names first).
    value: replace(replace(replace(replace(replace(replace(replace(policyTemplate, 'ENTRA_CONFIG', entraConfig), 'ENTRA_AUDIENCE', entraAudience),
      'ENTRA_ISSUER', entraIssuer), 'AUDIENCE', authAudience), 'ISSUER', authIssuer), 'APP', functionAppEndpoint), 'ANONYMOUS', anonymous)
  }
}

var policyTemplate = '''<policies>
  <inbound>
    <base />
    <rate-limit-by-key calls="600" renewal-period="60" counter-key="@(context.Request.IpAddress)" />
    <choose>
      <when condition="@{ var p = context.Request.OriginalUrl.Path; return ANONYMOUS; }" />
      <otherwise>
        <validate-jwt header-name="Authorization" require-scheme="Bearer" failed-validation-httpcode="401" failed-validation-error-message="A valid bearer token is required.">
          <openid-config url="APP/api/.well-known/openid-configuration" />
          ENTRA_CONFIG
          <audiences><audience>AUDIENCE</audience>ENTRA_AUDIENCE</audiences>
          <issuers><issuer>ISSUER</issuer>ENTRA_ISSUER</issuers>
        </validate-jwt>
        <rate-limit-by-key calls="120" renewal-period="60" counter-key="@(context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt()?.Subject ?? context.Request.IpAddress)" />
        <quota-by-key calls="20000" renewal-period="86400" counter-key="@(context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt()?.Subject ?? context.Request.IpAddress)" />
      </otherwise>
    </choose>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>'''

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: apim
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output gatewayUrl string = apim.properties.gatewayUrl
