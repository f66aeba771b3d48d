// Private networking (main.bicep's privateNetworking): a virtual network whose 'app' subnet the Function App (and its
// staging slot) integrates with, routing all outbound traffic through it, and whose 'endpoints' subnet holds a
// private endpoint for each data service, each with its private DNS zone linked to the network. With it, the data
// services refuse public traffic (their modules set publicNetworkAccess from the same parameter).
param token string
param location string
param tags object

@description('The private endpoints: the resource, its sub-resource (group id) and the private DNS zone of that sub-resource.')
param endpoints array

resource network 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-${token}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [ '10.40.0.0/16' ] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.40.1.0/24'
          delegations: [ { name: 'functions', properties: { serviceName: 'Microsoft.Web/serverFarms' } } ]
        }
      }
      {
        name: 'endpoints'
        properties: {
          addressPrefix: '10.40.2.0/24'
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in union(map(endpoints, e => e.zone), []): {
  name: zone
  location: 'global'
  tags: tags
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in union(map(endpoints, e => e.zone), []): {
  parent: zones[i]
  name: 'vnet-${token}'
  location: 'global'
  tags: tags
  properties: {
    virtualNetwork: { id: network.id }
    registrationEnabled: false
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [for e in endpoints: {
  name: 'pe-${e.name}-${e.groupId}'
  location: location
  tags: tags
  properties: {
    subnet: { id: '${network.id}/subnets/endpoints' }
    privateLinkServiceConnections: [
      {
        name: '${e.name}-${e.groupId}'
        properties: { privateLinkServiceId: e.id, groupIds: [ e.groupId ] }
      }
    ]
  }
}]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (e, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: replace(e.zone, '.', '-')
        properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', e.zone) }
      }
    ]
  }
  dependsOn: [ zones ]
}]

output appSubnetId string = '${network.id}/subnets/app'
