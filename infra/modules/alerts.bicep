// jitguard's alerts, all to one action group that e-mails the operator:
//  - a sweep message reached the poison queue (the Functions host logs the move; Azure Monitor's queue metrics have
//    no per-queue dimension, so QueueMessageCount cannot single out jitguard-sweep-poison),
//  - Event Grid dead-lettered an event of jitguard's event subscription (DeadLetteredCount, one rule per topic),
//  - a decision ended "failed" or "exposed" (jitguard.decision lines in Application Insights traces).

@description('Region of the log alert rules (the Application Insights component\'s region).')
param location string

@description('Base name of the rules and the action group.')
param baseName string

@description('E-mail address that receives the alerts.')
param alertEmailAddress string

@description('Resource id of the function app\'s Application Insights component.')
param appInsightsId string

@description('Resource ids of the target subscriptions\' system topics (jitguard\'s own or reused ones).')
param systemTopicIds array

@description('Name of jitguard\'s event subscription on each topic (a reused topic may carry others).')
param eventSubscriptionName string

@description('The poison queue of the sweep queue (the Functions host names it <queue>-poison).')
param poisonQueueName string

param tags object = {}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${baseName}'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'jitguard'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmailAddress
        useCommonAlertSchema: true
      }
    ]
  }
}

// The host logs (warning) "Message has reached MaxDequeueCount of 5. Moving message to queue 'jitguard-sweep-poison'."
// Each move alerts once; the message then stays in the poison queue until someone removes it (README).
resource poisonAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'jitguard-sweep-poison-${baseName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'jitguard: a sweep message moved to ${poisonQueueName}'
    description: 'A subscription\'s sweep failed five times and its message is now in the poison queue ${poisonQueueName}. That subscription was not reconciled by the nightly sweep.'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          // ''' strings do not interpolate: the queue name goes in through format().
          query: format('''
traces
| where message has "MaxDequeueCount" and message has "{0}"
| project timestamp, message, operation_Name, cloud_RoleInstance
''', poisonQueueName)
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource decisionAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'jitguard-failed-or-exposed-${baseName}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'jitguard: a decision ended failed or exposed'
    description: 'jitguard could not bring a scope under JIT (failed: a permanent ARM error, see reason) or found a management port exposed. The workbook\'s "Failures and exposures" lists them.'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: '''
traces
| where message startswith "jitguard.decision "
| extend d = parse_json(substring(message, strlen("jitguard.decision ")))
| extend result = tostring(d.result)
| where result in ("failed", "exposed")
| project timestamp, result, trigger = tostring(d.trigger), scope = tostring(d.scope), subject = tostring(d.subject), reason = tostring(d.reason)
'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// One rule per topic: metric alerts on several resources at once are not offered for system topics.
resource deadLetterAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for topicId in systemTopicIds: {
  name: 'jitguard-deadletter-${uniqueString(topicId)}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Event Grid dead-lettered events of ${eventSubscriptionName} on ${topicId}: they are in the jitguard-deadletter container; the nightly sweep reconciles those scopes anyway.'
    severity: 2
    enabled: true
    scopes: [
      topicId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLettered'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          dimensions: [
            {
              name: 'EventSubscriptionName'
              operator: 'Include'
              values: [
                // Event Grid reports the dimension in upper case; both spellings are listed to be safe.
                eventSubscriptionName
                toUpper(eventSubscriptionName)
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}]

output actionGroupId string = actionGroup.id
