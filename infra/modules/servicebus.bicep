// Service Bus namespace (Entra ID only) with the incident queue the kill-switch consumes.

import { stringMap } from '../types.bicep'

param name string
param location string
param tags stringMap
param workspaceId string

@description('Name of the incident queue.')
param queueName string

@description('Deliveries before a message is dead-lettered with MaxDeliveryCountExceeded.')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int

@description('Peek-lock duration; the host renews it while the function runs (host.json maxAutoLockRenewalDuration).')
param lockDuration string

@description('Window in which a repeated MessageId (e.g. the same webhook delivery handed off twice) is dropped.')
param duplicateDetectionHistoryTimeWindow string

@description('Unprocessed messages dead-letter after this time to live instead of vanishing.')
param defaultMessageTimeToLive string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // SAS keys (including RootManageSharedAccessKey) are refused; senders and receivers use Entra ID roles on the queue.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    maxDeliveryCount: maxDeliveryCount
    lockDuration: lockDuration
    defaultMessageTimeToLive: defaultMessageTimeToLive
    // An alert that expires is dead-lettered, never silently dropped.
    deadLetteringOnMessageExpiration: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionHistoryTimeWindow
    requiresSession: false
    enablePartitioning: false
    enableBatchedOperations: true
    maxSizeInMegabytes: 1024
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = namespace.id
output queueName string = queue.name
// <name>.servicebus.windows.net in public Azure; read from the resource so sovereign clouds work too.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
