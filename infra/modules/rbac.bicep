// Data-plane roles of the function app's identity, each at the narrowest scope that works:
//   Storage Blob Data Owner, Storage Table Data Contributor (+ Queue only if asked)  -> the storage account
//   Azure Service Bus Data Receiver + Data Sender                                   -> the incident QUEUE, not the namespace
//   Key Vault Secrets User (read)                                                   -> the vault
//   Key Vault Secrets Officer (rotation writes new secret versions)                 -> the vault, or listed secrets only
//   Monitoring Metrics Publisher                                                    -> the Application Insights component
// plus Azure Service Bus Data Sender on the queue for the playbooks and tools that raise incidents.

import { roleIds } from '../types.bicep'

@description('The function app\'s user-assigned identity.')
param identityName string

param storageAccountName string
param serviceBusNamespaceName string
param incidentQueueName string
param keyVaultName string
param appInsightsName string

@description('Grant Storage Queue Data Contributor. Off: nothing in the app uses storage queues (the incident queue is Service Bus).')
param grantStorageQueueAccess bool

@description('Empty: Secrets Officer on the vault. Otherwise Secrets Officer on exactly these secrets, which must already exist.')
param rotationWritableSecretNames string[]

@description('Principal ids (e.g. a Sentinel playbook\'s managed identity) allowed to SEND to the incident queue.')
param incidentSenderPrincipalIds string[]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

// Assignment names hash the identity's resource id (known before deployment) rather than its principal id (known only
// after), so what-if can predict them.
var principalId = identity.properties.principalId

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = {
  parent: namespace
  name: incidentQueueName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource rotatedSecrets 'Microsoft.KeyVault/vaults/secrets@2024-11-01' existing = [
  for secretName in rotationWritableSecretNames: {
    parent: vault
    name: secretName
  }
]

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Host storage (leases, timer checkpoints, host keys), the deployment package container, and the app's blobs.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleIds.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Audit trail and idempotency ledger tables.
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleIds.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.storageTableDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantStorageQueueAccess) {
  name: guid(storage.id, identity.id, roleIds.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.storageQueueDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The Service Bus trigger receives and settles (complete, abandon, dead-letter) on the incident queue only.
resource queueReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue.id, identity.id, roleIds.serviceBusDataReceiver)
  scope: queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Webhooks hand unfinished work to the same queue.
resource queueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue.id, identity.id, roleIds.serviceBusDataSender)
  scope: queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource externalSenders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for senderId in incidentSenderPrincipalIds: {
    name: guid(queue.id, senderId, roleIds.serviceBusDataSender)
    scope: queue
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataSender)
      principalId: senderId
      principalType: 'ServicePrincipal'
    }
  }
]

// Management credentials, webhook secrets (Key Vault references) and managed tokens are read.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roleIds.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Rotation writes each replacement token as a new version of its secret. Vault scope by default, because the managed
// credentials are enrolled at run time and a role on a secret requires that secret to exist when this deploys.
resource secretsOfficerOnVault 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (empty(rotationWritableSecretNames)) {
  name: guid(vault.id, identity.id, roleIds.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsOfficerOnSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (secretName, i) in rotationWritableSecretNames: {
    name: guid(rotatedSecrets[i].id, identity.id, roleIds.keyVaultSecretsOfficer)
    scope: rotatedSecrets[i]
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roleIds.keyVaultSecretsOfficer
      )
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Entra ID telemetry ingestion (the component has local auth off).
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.monitoringMetricsPublisher
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
