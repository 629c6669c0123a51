// Parameters for one deployment. Values that differ per stage come from environment variables, so the same file serves
// staging and production (deploy.yml sets them from the GitHub environment's variables):
//   TOKENFUNCTIONS_ENV            environment name, e.g. staging | prod           (default: dev)
//   TOKENFUNCTIONS_ACTION_GROUP   resource id of the action group alerts notify    (default: none)
//   TOKENFUNCTIONS_GITHUB_REPO    owner/repo: create the GitHub OIDC deployer      (default: none, no deployer)
//   TOKENFUNCTIONS_GITHUB_ENV     GitHub environment allowed to sign in as it      (default: the environment name)
// Only NAMES of Key Vault secrets appear here. Put the values into the vault after the first deployment (docs/deployment.md).

using 'main.bicep'

param environmentName = readEnvironmentVariable('TOKENFUNCTIONS_ENV', 'dev')

param tags = {
  application: 'tokenfunctions'
  environment: readEnvironmentVariable('TOKENFUNCTIONS_ENV', 'dev')
}

// Each environment's management token needs apiTokens.read + apiTokens.write; it must not be a personal access token.
param dynatraceEnvironments = [
  {
    name: 'prod'
    apiBaseUrl: 'https://abc12345.live.dynatrace.com/'
    credentialSecretName: 'dynatrace-prod-token'
    secondaryCredentialSecretName: 'dynatrace-prod-token-secondary'
    disableApi: 'V2'
  }
]

// OAuth clients with account-idm-read account-idm-write platform-token:tokens:manage platform-token:tokens:write.
param dynatraceAccounts = [
  {
    name: 'main'
    accountUuid: '00000000-0000-0000-0000-000000000000'
    clientId: 'dt0s02.EXAMPLE1'
    clientSecretName: 'dynatrace-account-main-client-secret'
  }
]

param killSwitch = {
  dryRun: false
  dryRunSources: []
  protectedTokenIds: []
}

param sources = {
  gitHubWebhookSecretName: 'github-webhook-secret'
  gitHubApiTokenSecretName: 'github-api-token'
  gitGuardianWebhookSecretName: 'gitguardian-webhook-secret'
  genericWebhookSecretName: 'generic-webhook-secret'
  gitLabRevocationTokenSecretName: 'gitlab-revocation-token'
}

param rotation = {
  schedule: '0 0 3 * * *'
  healthyOutcomes: [
    'Rotated'
    'NotDue'
  ]
  overdueWindow: 'P2D'
}

param actionGroupId = readEnvironmentVariable('TOKENFUNCTIONS_ACTION_GROUP', '')

param githubOidc = {
  enabled: !empty(readEnvironmentVariable('TOKENFUNCTIONS_GITHUB_REPO', ''))
  repository: readEnvironmentVariable('TOKENFUNCTIONS_GITHUB_REPO', '')
  environment: readEnvironmentVariable(
    'TOKENFUNCTIONS_GITHUB_ENV',
    readEnvironmentVariable('TOKENFUNCTIONS_ENV', 'dev')
  )
}

// Outages are ridden out: retryable incident work is continued with exponential backoff (30 s, 1 min, 2 min, … capped at
// 1 h, each shortened by up to 20 % jitter) for 24 h after the first failure, then dead-lettered RetriesExhausted.
param incidentRetryHorizon = '1.00:00:00'
param incidentRetryFirstDelay = '00:00:30'
param incidentRetryMaxDelay = '01:00:00'
