// The function app's user-assigned managed identity: one identity for host storage, Service Bus, Key Vault and telemetry.

import { stringMap } from '../types.bicep'

param name string
param location string
param tags stringMap

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
