// Alert rules. Each says what went wrong and, in its description, what to do (the runbook has the long form).
//   1. Incident dead-letters        Service Bus DeadletteredMessages on the incident queue > 0
//   2. Leak not contained           tokenfunctions.tokens.outcomes with an outcome that needs a human > 0
//   2b. Work interrupted            tokenfunctions.tokens.outcomes Interrupted > threshold (retried on its own; low severity)
//   3. Function failures            failed invocations (not 4xx rejections) > threshold
//   4. Rotation overdue             no tokenfunctions.rotations data point with a healthy outcome in the window
//   5. Audit write failures         tokenfunctions.audit.failures > 0

import { stringMap } from '../types.bicep'

param namePrefix string
param location string
param tags stringMap
param appInsightsId string
param serviceBusNamespaceId string
param incidentQueueName string

@description('Action group notified by every rule; empty: the alerts fire in the portal only.')
param actionGroupId string

@description('Failed invocations tolerated per 5 minutes before the failure alert fires.')
@minValue(0)
param functionFailureThreshold int

@description('Interrupted token outcomes tolerated per 15 minutes before the work-interrupted alert fires.')
@minValue(0)
param interruptedThreshold int

param rotationHealthyOutcomes string[]

param rotationOverdueWindow string

var actionGroups = empty(actionGroupId) ? [] : [actionGroupId]

// KQL string literal list: ('A', 'B').
var healthyOutcomeList = join(map(rotationHealthyOutcomes, o => '\'${o}\''), ', ')

// summarize without "by" always yields one row, so "nothing recorded" evaluates as 0 rather than as no result.
var rotationQuery = '''
customMetrics
| where name == 'tokenfunctions.rotations'
| where tostring(customDimensions.outcome) in~ (__HEALTHY_OUTCOMES__)
| summarize healthy = sum(valueSum)
| extend healthy = coalesce(healthy, 0.0)
'''

resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-incident-deadletters'
  location: 'global'
  tags: tags
  properties: {
    description: 'An incident message was dead-lettered on ${incidentQueueName}: a leak alert or an operator request was NOT acted on. Read the message\'s DeadLetterReason and DeadLetterErrorDescription, fix the cause, then resubmit it (runbook: "Dead-letters").'
    severity: 1
    enabled: true
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLetteredIncidents'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                incidentQueueName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [for id in actionGroups: { actionGroupId: id }]
  }
}

resource leakNotContained 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-leak-not-contained'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}: leaked token not disabled'
    description: 'A reported token was not disabled: Failed (Dynatrace refused or was unreachable after retries; it is queued for retry), Denied (our management credential lacks apiTokens.write or is invalid), CannotDisableOwnCredential (configure the secondary credential), Unsupported (e.g. an OAuth client secret: revoke it by hand), Protected (allow-listed: decide by hand), Unaddressable (a platform token whose id form the account does not accept: disable it in Account Management) or SecretNotVerified (the id exists but the reported secret does not verify: decide, kill by id). Interrupted (a deadline or shutdown cut the work) is not counted here: it is retried on its own and has its own low-severity alert. Find the token id in the audit trail (runbook: "Leak not contained").'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
customMetrics
| where name == 'tokenfunctions.tokens.outcomes'
| extend outcome = tostring(customDimensions.outcome), source = tostring(customDimensions.source)
| where outcome in~ ('Failed', 'Denied', 'CannotDisableOwnCredential', 'Unsupported', 'Protected', 'Unaddressable', 'SecretNotVerified')
| summarize tokens = sum(valueSum) by outcome, source
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'tokens'
          dimensions: [
            {
              name: 'outcome'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'source'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

resource workInterrupted 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-work-interrupted'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}: token work interrupted repeatedly'
    description: 'Tokens were Interrupted: the inline webhook deadline, a Ctrl+C or a host shutdown cut their work before Dynatrace answered. Nothing is lost (they are retried, queued or resumed) and this is not a Dynatrace failure; it fires only when it keeps happening, which means Dynatrace is slow for this app or Sources:InlineDeadline is too short (runbook: "Work interrupted").'
    severity: 3
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
customMetrics
| where name == 'tokenfunctions.tokens.outcomes'
| where tostring(customDimensions.outcome) =~ 'Interrupted'
| summarize interrupted = sum(valueSum)
| extend interrupted = coalesce(interrupted, 0.0)
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'interrupted'
          operator: 'GreaterThan'
          threshold: interruptedThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

resource functionFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-function-failures'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}: function invocations failing'
    description: 'Function invocations failed (exceptions or 5xx). Requests rejected with 4xx (bad signature, bad input) are expected and excluded. Open Application Insights > Failures for the function named in the operation dimension (runbook: "Function failures").'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
requests
| where success == false
| where not(resultCode startswith '4')
| summarize failures = count() by operation_Name
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          dimensions: [
            {
              name: 'operation_Name'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: functionFailureThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

resource rotationOverdue 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-rotation-overdue'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}: rotation overdue'
    description: 'No tokenfunctions.rotations data point with a healthy outcome (${healthyOutcomeList}) in ${rotationOverdueWindow}: the rotation timer is not running or every rotation fails, so managed credentials are ageing. Check the rotation function\'s invocations and the audit trail for rotate records (runbook: "Rotation overdue").'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT1H'
    windowSize: rotationOverdueWindow
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: replace(rotationQuery, '__HEALTHY_OUTCOMES__', healthyOutcomeList)
          timeAggregation: 'Total'
          metricMeasureColumn: 'healthy'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

resource auditFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-audit-failures'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix}: audit records not written'
    description: 'Audit records could not be written to Table Storage: decisions are being made without a durable record. Check the storage account\'s availability and the identity\'s Storage Table Data Contributor role (runbook: "Audit write failures").'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
customMetrics
| where name == 'tokenfunctions.audit.failures'
| summarize failures = sum(valueSum)
| extend failures = coalesce(failures, 0.0)
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

output alertRuleIds string[] = [
  deadLetters.id
  leakNotContained.id
  functionFailures.id
  rotationOverdue.id
  auditFailures.id
]
