// Log Analytics workspace and a workspace-based Application Insights component that accepts Entra ID ingestion only.

import { stringMap } from '../types.bicep'

param workspaceName string
param appInsightsName string
param location string
param tags stringMap

@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Instrumentation keys cannot ingest: telemetry must carry an Entra token of an identity that holds
    // Monitoring Metrics Publisher on this component (see rbac.bicep).
    DisableLocalAuth: true
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
// The connection string only locates the ingestion endpoint; with local auth off it grants nothing by itself.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
