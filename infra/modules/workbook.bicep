// Azure Monitor workbook: alert-to-disabled latency histogram, token outcomes over time, open dead-letters.
// The JSON lives in ../workbook/ so it can be edited in the portal's Advanced Editor and pasted back; the placeholders
// __APP_INSIGHTS_ID__, __SERVICE_BUS_ID__ and __INCIDENT_QUEUE__ are filled in here.

import { stringMap } from '../types.bicep'

param location string
param tags stringMap
param displayName string
param appInsightsName string
param serviceBusNamespaceName string
param incidentQueueName string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

var template = loadTextContent('../workbook/tokenfunctions.workbook.json')

var serializedData = replace(
  replace(replace(template, '__APP_INSIGHTS_ID__', appInsights.id), '__SERVICE_BUS_ID__', namespace.id),
  '__INCIDENT_QUEUE__',
  incidentQueueName
)

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Workbook names must be GUIDs; derived from the component so redeployments update the same workbook.
  name: guid(appInsights.id, 'tokenfunctions-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: serializedData
  }
}

output id string = workbook.id
