// GitHub Actions deployer: a user-assigned identity that GitHub's OIDC token can sign in as (no stored secret), allowed
// only to publish code to this function app (Website Contributor on the site, nothing else).

import { roleIds, stringMap } from '../types.bicep'

param name string
param location string
param tags stringMap

@description('owner/repository on GitHub.')
param repository string

@description('GitHub environment of the jobs that deploy (the token subject is repo:OWNER/REPO:environment:NAME).')
param environment string

param functionAppName string

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

resource github 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = {
  parent: identity
  name: 'github-${environment}'
  properties: {
    issuer: 'https://token.actions.githubusercontent.com'
    subject: 'repo:${repository}:environment:${environment}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

resource websiteContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(site.id, identity.id, roleIds.websiteContributor)
  scope: site
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.websiteContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output clientId string = identity.properties.clientId
