// Shared types and constants for main.bicep and its modules.

@export()
@description('One Dynatrace environment whose classic API tokens (dt0c01) the app can disable.')
type dynatraceEnvironment = {
  @description('Logical name, used in incident messages (`environment`) and audit records.')
  name: string

  @description('Base URL the /api paths hang off: https://{env-id}.live.dynatrace.com/ (SaaS) or https://{domain}/e/{env-id}/ (Managed, ActiveGate).')
  apiBaseUrl: string

  @description('Key Vault secret NAME holding an API token with apiTokens.read + apiTokens.write (not a personal access token).')
  credentialSecretName: string

  @description('Key Vault secret NAME of a second management token, used when the first one is itself the leaked token.')
  secondaryCredentialSecretName: string?

  @description('Which Environment API disables a token: V2 (PUT /api/v2/apiTokens/{id}) or V1 (deprecated /api/v1/tokens, old Managed clusters).')
  disableApi: ('V2' | 'V1')?
}

@export()
@description('One Dynatrace account whose platform tokens (dt0s16) the app can disable, through the Account Management API.')
type dynatraceAccount = {
  @description('Logical name, used in incident messages (`account`) and audit records.')
  name: string

  @description('The account UUID (Account Management > Identity & access management > OAuth clients).')
  accountUuid: string

  @description('OAuth client id (dt0s02.XXXX); an identifier, not a secret.')
  clientId: string

  @description('Key Vault secret NAME holding the OAuth client secret.')
  clientSecretName: string

  @description('A second OAuth client, for when the first one is the subject of a rotation.')
  secondaryClientId: string?

  @description('Key Vault secret NAME of the second OAuth client secret.')
  secondaryClientSecretName: string?
}

@export()
@description('Kill-switch behaviour (configuration section KillSwitch).')
type killSwitchSettings = {
  @description('Decide and audit, but call no Dynatrace write endpoint.')
  dryRun: bool

  @description('Source names that run dry even when dryRun is false (e.g. gitguardian while it is being trialled).')
  dryRunSources: string[]

  @description('Token ids (dt0c01.PUBLIC) that are never disabled automatically.')
  protectedTokenIds: string[]
}

@export()
@description('Leak sources (configuration section Sources). Each *SecretName is a Key Vault secret NAME; the app setting becomes a Key Vault reference. An omitted name leaves that source unconfigured.')
type sourcesSettings = {
  @description('GitHub organisation webhook (secret_scanning_alert), HMAC-SHA256 with this shared secret.')
  gitHubWebhookSecretName: string?

  @description('Token the app uses to read the alert\'s secret from the GitHub REST API (secret_scanning_alerts: read).')
  gitHubApiTokenSecretName: string?

  @description('GitGuardian custom webhook signature token.')
  gitGuardianWebhookSecretName: string?

  @description('Shared HMAC secret for the generic webhook.')
  genericWebhookSecretName: string?

  @description('Pre-shared token GitLab sends to the Token Revocation API endpoint.')
  gitLabRevocationTokenSecretName: string?
}

@export()
@description('Scheduled rotation (configuration section Rotation).')
type rotationSettings = {
  @description('NCRONTAB schedule of the rotation timer (six fields, UTC), read as %RotationSchedule% by the timer and validated by the engine at start-up.')
  schedule: string

  @description('Outcome tag values of tokenfunctions.rotations that prove rotation is alive; the overdue alert fires when none is recorded in the window.')
  healthyOutcomes: string[]

  @description('How long without a healthy rotation data point before the overdue alert fires.')
  overdueWindow: ('PT6H' | 'P1D' | 'P2D')
}

@export()
@description('GitHub Actions OIDC: a deployer identity that may only publish code to the function app.')
type githubOidcSettings = {
  @description('Create the deployer identity and its federated credential.')
  enabled: bool

  @description('owner/repository, e.g. contoso/TokenFunctions.')
  repository: string

  @description('GitHub environment whose jobs may sign in, e.g. production (subject repo:OWNER/REPO:environment:NAME).')
  environment: string
}

@export()
@description('Plain (non-secret) app settings by name. Secrets belong in Key Vault; use keyVaultReferences for them.')
type stringMap = {
  *: string
}

@export()
@description('Built-in Azure role definition ids (the same GUID in every tenant).')
var roleIds = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  websiteContributor: 'de139f84-1756-47ae-9be6-808fbbe84772'
}
