// TokenFunctions: kills leaked Dynatrace tokens within seconds and rotates credentials into Key Vault.
// Deploys into one resource group: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
//
//   identity     user-assigned managed identity the app runs as (every data-plane call is Entra ID)
//   monitoring   Log Analytics + Application Insights (local auth off)
//   storage      host storage (shared keys off), deployment package container, audit + ledger tables
//   servicebus   namespace (SAS off) + incident queue (dead-lettering, duplicate detection)
//   keyvault     RBAC vault, soft delete + purge protection
//   functionapp  Flex Consumption (FC1), .NET 10 isolated; app settings hold names and Key Vault references only
//   rbac         data-plane roles at the narrowest scope
//   alerts       dead-letters, leak not contained, work interrupted, function failures, rotation overdue, audit failures
//   workbook     latency histogram, token outcomes, open dead-letters
//   deployer     optional GitHub OIDC identity with Website Contributor on the app only

targetScope = 'resourceGroup'

metadata description = 'TokenFunctions: Azure Functions kill-switch for leaked Dynatrace tokens, with Key Vault rotation.'

import {
  dynatraceAccount
  dynatraceEnvironment
  githubOidcSettings
  killSwitchSettings
  rotationSettings
  sourcesSettings
  stringMap
} from 'types.bicep'

// ---------------------------------------------------------------- naming and placement

@description('Short environment name (e.g. staging, prod), lower-case letters and digits: part of every resource name.')
@minLength(2)
@maxLength(10)
param environmentName string

@description('Short application name, lower-case letters and digits.')
@minLength(2)
@maxLength(10)
param appName string = 'tokenfn'

@description('Azure region for every resource; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Tags applied to every resource.')
param tags stringMap = {}

// ---------------------------------------------------------------- what the app protects

@description('Dynatrace environments whose classic API tokens the app may disable (section Dynatrace:Environments).')
param dynatraceEnvironments dynatraceEnvironment[]

@description('Dynatrace accounts whose platform tokens the app may disable (section Dynatrace:Accounts).')
param dynatraceAccounts dynatraceAccount[] = []

@description('Kill-switch behaviour (section KillSwitch).')
param killSwitch killSwitchSettings = {
  dryRun: false
  dryRunSources: []
  protectedTokenIds: []
}

@description('Leak sources and the Key Vault secret NAMES of their shared secrets (section Sources).')
param sources sourcesSettings

@description('Scheduled rotation (section Rotation) and its overdue alert.')
param rotation rotationSettings = {
  schedule: '0 0 3 * * *'
  healthyOutcomes: [
    'Rotated'
    'NotDue'
  ]
  overdueWindow: 'P2D'
}

@description('Key Vault secret NAME of the notification channel\'s incoming-webhook URL (section Notifications); empty: none.')
param notificationsWebhookSecretName string = ''

@description('Further Key Vault references: app setting name -> Key Vault secret NAME. For secrets the settings above do not cover.')
param keyVaultReferences stringMap = {}

@description('Further plain app settings (non-secret values only; secrets go through keyVaultReferences). Infrastructure-owned settings win on a clash.')
param additionalAppSettings stringMap = {}

// ---------------------------------------------------------------- Key Vault

@description('Days a deleted secret or vault stays recoverable (purge protection makes this binding).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

@description('Empty (default): the app may write any secret of the vault (rotation enrols credentials at run time). Otherwise it may write only these secrets, which must exist before deployment.')
param rotationWritableSecretNames string[] = []

// ---------------------------------------------------------------- Service Bus

@description('Name of the incident queue (app setting IncidentQueueName).')
param incidentQueueName string = 'incidents'

@minValue(1)
@maxValue(100)
param incidentQueueMaxDeliveryCount int = 10

@description('Peek-lock duration (ISO 8601, at most PT5M).')
param incidentQueueLockDuration string = 'PT1M'

@description('Duplicate-detection window (ISO 8601): a MessageId seen within it is dropped.')
param incidentQueueDuplicateDetectionWindow string = 'PT1H'

@description('Time to live of an incident message; on expiry it is dead-lettered. Keep it well above incidentRetryHorizon.')
param incidentQueueMessageTimeToLive string = 'P14D'

@description('How long retryable incident work (Dynatrace, Key Vault or GitHub down) is retried before it is dead-lettered RetriesExhausted, counted from the first failure (.NET TimeSpan: d.hh:mm:ss; app setting Incidents__Retry__Horizon).')
param incidentRetryHorizon string = '1.00:00:00'

@description('First backoff delay of retryable incident work; each retry doubles it, shortened by up to 20 % jitter (app setting Incidents__Retry__FirstDelay).')
param incidentRetryFirstDelay string = '00:00:30'

@description('Longest backoff delay between two retries (app setting Incidents__Retry__MaxDelay).')
param incidentRetryMaxDelay string = '01:00:00'

@description('Principal ids allowed to send to the incident queue, e.g. a Sentinel playbook\'s or Logic App\'s managed identity.')
param incidentSenderPrincipalIds string[] = []

// ---------------------------------------------------------------- storage and compute

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_ZRS'

@description('Table for the append-only audit trail (section Audit).')
param auditTableName string = 'audit'

@description('Table for the idempotency ledger: repeated deliveries act once (section Audit).')
param ledgerTableName string = 'ledger'

@description('Grant Storage Queue Data Contributor; only needed if a storage-queue feature is added.')
param grantStorageQueueAccess bool = false

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Warm instances for the webhooks (1 avoids a cold start on the first alert; 0 scales to zero).')
@minValue(0)
param alwaysReadyHttpInstances int = 1

// ---------------------------------------------------------------- monitoring

@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Resource id of an existing action group that every alert notifies; empty: alerts show in the portal only.')
param actionGroupId string = ''

@description('Failed function invocations tolerated per 5 minutes.')
@minValue(0)
param functionFailureThreshold int = 0

@description('Tokens whose work a deadline or cancellation interrupted (retried automatically) tolerated per 15 minutes before the low-severity "work interrupted" alert fires.')
@minValue(0)
param interruptedThreshold int = 20

// ---------------------------------------------------------------- GitHub Actions

@description('Optional GitHub OIDC deployer identity (Website Contributor on the function app only).')
param githubOidc githubOidcSettings = {
  enabled: false
  repository: ''
  environment: ''
}

// ================================================================ names

var token = uniqueString(resourceGroup().id, environmentName)
var prefix = '${appName}-${environmentName}'
var names = {
  identity: 'id-${prefix}'
  deployer: 'id-${prefix}-github'
  workspace: 'log-${prefix}'
  appInsights: 'appi-${prefix}'
  // The hash first: storage names are global, and a long environment name must not truncate it away.
  storage: toLower('st${token}${take(appName, 9)}')
  deploymentContainer: 'app-package-${token}'
  serviceBus: 'sb-${prefix}-${token}'
  keyVault: 'kv-${take(token, 10)}-${environmentName}'
  plan: 'plan-${prefix}'
  site: 'func-${prefix}-${token}'
}

// ================================================================ resources

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: names.deploymentContainer
    tableNames: [
      auditTableName
      ledgerTableName
    ]
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    queueName: incidentQueueName
    maxDeliveryCount: incidentQueueMaxDeliveryCount
    lockDuration: incidentQueueLockDuration
    duplicateDetectionHistoryTimeWindow: incidentQueueDuplicateDetectionWindow
    defaultMessageTimeToLive: incidentQueueMessageTimeToLive
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
  }
}

// ================================================================ app settings: names, endpoints, Key Vault references

// A versionless reference: the platform resolves the latest version (re-read within 24 hours of a change).
func keyVaultReference(vaultUri string, secretName string) string =>
  '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName})'

var hostSettings = {
  // Host storage over Entra ID with the user-assigned identity (no AzureWebJobsStorage connection string exists).
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  // Telemetry ingestion authenticates as the identity; the connection string only names the endpoint.
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  // DefaultAzureCredential / ManagedIdentityCredential in the app (Key Vault, Tables) pick the same identity.
  AZURE_CLIENT_ID: identity.outputs.clientId
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identity.outputs.clientId
  IncidentQueueName: serviceBus.outputs.queueName
  KeyVault__VaultUri: keyVault.outputs.vaultUri
  Audit__TableServiceUri: storage.outputs.tableEndpoint
  Audit__TableName: auditTableName
  Sources__Ledger__ServiceUri: storage.outputs.tableEndpoint
  Sources__Ledger__TableName: ledgerTableName
  Incidents__Storage__ServiceUri: storage.outputs.tableEndpoint
  // The processor dead-letters on the queue's last delivery itself, so both must agree.
  Incidents__MaxDeliveryCount: string(incidentQueueMaxDeliveryCount)
  Incidents__Retry__Horizon: incidentRetryHorizon
  Incidents__Retry__FirstDelay: incidentRetryFirstDelay
  Incidents__Retry__MaxDelay: incidentRetryMaxDelay
  Rotation__State__ServiceUri: storage.outputs.tableEndpoint
  // The timer triggers read these as %RotationSchedule% etc.; the engine validates the same values at start-up (they win
  // over Rotation:Schedule ..., so the template sets only these).
  RotationSchedule: rotation.schedule
  SweepSchedule: '0 30 * * * *'
  ReconciliationSchedule: '0 15 * * * *'
  HygieneSchedule: '0 0 6 * * 1'
  KillSwitch__DryRun: string(killSwitch.dryRun)
}

var killSwitchListSettings = union(
  toObject(
    range(0, length(killSwitch.dryRunSources)),
    i => 'KillSwitch__DryRunSources__${i}',
    i => killSwitch.dryRunSources[i]
  ),
  toObject(
    range(0, length(killSwitch.protectedTokenIds)),
    i => 'KillSwitch__ProtectedTokenIds__${i}',
    i => killSwitch.protectedTokenIds[i]
  )
)

// Dynatrace credentials are read by NAME at run time (rotation writes new versions), never through app settings.
var dynatraceEnvironmentSettings = shallowMerge(map(
  range(0, length(dynatraceEnvironments)),
  i =>
    union(
      {
        'Dynatrace__Environments__${i}__Name': dynatraceEnvironments[i].name
        'Dynatrace__Environments__${i}__ApiBaseUrl': dynatraceEnvironments[i].apiBaseUrl
        'Dynatrace__Environments__${i}__CredentialSecretName': dynatraceEnvironments[i].credentialSecretName
        'Dynatrace__Environments__${i}__DisableApi': dynatraceEnvironments[i].?disableApi ?? 'V2'
      },
      empty(dynatraceEnvironments[i].?secondaryCredentialSecretName ?? '')
        ? {}
        : {
            'Dynatrace__Environments__${i}__SecondaryCredentialSecretName': dynatraceEnvironments[i].?secondaryCredentialSecretName ?? ''
          }
    )
))

var dynatraceAccountSettings = shallowMerge(map(
  range(0, length(dynatraceAccounts)),
  i =>
    union(
      {
        'Dynatrace__Accounts__${i}__Name': dynatraceAccounts[i].name
        'Dynatrace__Accounts__${i}__AccountUuid': dynatraceAccounts[i].accountUuid
        'Dynatrace__Accounts__${i}__ClientId': dynatraceAccounts[i].clientId
        'Dynatrace__Accounts__${i}__ClientSecretSecretName': dynatraceAccounts[i].clientSecretName
      },
      empty(dynatraceAccounts[i].?secondaryClientId ?? '')
        ? {}
        : {
            'Dynatrace__Accounts__${i}__SecondaryClientId': dynatraceAccounts[i].?secondaryClientId ?? ''
            'Dynatrace__Accounts__${i}__SecondaryClientSecretSecretName': dynatraceAccounts[i].?secondaryClientSecretName ?? ''
          }
    )
))

// Secrets the platform hands to the app as app settings: webhook signing secrets and the like, by Key Vault reference.
var secretSettingNames = union(
  {
    Sources__GitHub__WebhookSecret: sources.?gitHubWebhookSecretName ?? ''
    Sources__GitHub__Token: sources.?gitHubApiTokenSecretName ?? ''
    Sources__GitGuardian__SignatureToken: sources.?gitGuardianWebhookSecretName ?? ''
    Sources__Generic__Secret: sources.?genericWebhookSecretName ?? ''
    Sources__GitLab__Token: sources.?gitLabRevocationTokenSecretName ?? ''
    Notifications__Generic__Url: notificationsWebhookSecretName
  },
  keyVaultReferences
)

var keyVaultReferenceSettings = toObject(
  filter(items(secretSettingNames), setting => !empty(setting.value)),
  setting => setting.key,
  setting => keyVaultReference(keyVault.outputs.vaultUri, setting.value)
)

var appSettings = union(
  additionalAppSettings,
  dynatraceEnvironmentSettings,
  dynatraceAccountSettings,
  killSwitchListSettings,
  keyVaultReferenceSettings,
  hostSettings
)

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: names.plan
    siteName: names.site
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: appSettings
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
  }
}

// Names, not outputs, are passed where they become resource ids, so what-if predicts every assignment; dependsOn
// orders the modules instead.
module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  dependsOn: [
    identity
    storage
    serviceBus
    keyVault
    monitoring
  ]
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    serviceBusNamespaceName: names.serviceBus
    incidentQueueName: incidentQueueName
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    grantStorageQueueAccess: grantStorageQueueAccess
    rotationWritableSecretNames: rotationWritableSecretNames
    incidentSenderPrincipalIds: incidentSenderPrincipalIds
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: prefix
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
    serviceBusNamespaceId: serviceBus.outputs.id
    incidentQueueName: serviceBus.outputs.queueName
    actionGroupId: actionGroupId
    functionFailureThreshold: functionFailureThreshold
    interruptedThreshold: interruptedThreshold
    rotationHealthyOutcomes: rotation.healthyOutcomes
    rotationOverdueWindow: rotation.overdueWindow
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  dependsOn: [
    monitoring
    serviceBus
  ]
  params: {
    location: location
    tags: tags
    displayName: 'TokenFunctions (${environmentName})'
    appInsightsName: names.appInsights
    serviceBusNamespaceName: names.serviceBus
    incidentQueueName: incidentQueueName
  }
}

module deployer 'modules/deployer.bicep' = if (githubOidc.enabled) {
  name: 'deployer'
  dependsOn: [
    functionApp
  ]
  params: {
    name: names.deployer
    location: location
    tags: tags
    repository: githubOidc.repository
    environment: githubOidc.environment
    functionAppName: names.site
  }
}

// ================================================================ outputs (no secrets)

@description('Where each source posts. Routes are fixed by the app\'s HTTP triggers.')
type endpointUrls = {
  gitHub: string
  gitHubPartner: string
  gitGuardian: string
  generic: string
  gitLab: string
  audit: string
}

var baseUrl = 'https://${functionApp.outputs.defaultHostName}/api'

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output endpoints endpointUrls = {
  gitHub: '${baseUrl}/webhooks/github'
  gitHubPartner: '${baseUrl}/webhooks/github-partner'
  gitGuardian: '${baseUrl}/webhooks/gitguardian'
  generic: '${baseUrl}/webhooks/generic'
  gitLab: '${baseUrl}/gitlab/v1/revoke_tokens'
  audit: '${baseUrl}/audit'
}
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.vaultUri
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output incidentQueueName string = serviceBus.outputs.queueName
output storageAccountName string = storage.outputs.name
output functionIdentityClientId string = identity.outputs.clientId
output functionIdentityPrincipalId string = identity.outputs.principalId
output workbookId string = workbook.outputs.id
output alertRuleIds string[] = alerts.outputs.alertRuleIds
@description('Client id for azure/login when publishing code as the least-privileged deployer; empty when githubOidc is off.')
output deployerClientId string = deployer.?outputs.clientId ?? ''
