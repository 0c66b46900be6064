// Everything jitguard needs in one target subscription: the custom role assigned to the function app's
// identity at subscription scope, a resource group holding the subscription's Event Grid system topic, the
// topic's right to dead-letter into the central storage account, and the event subscription to OnResourceEvent.
targetScope = 'subscription'

@description('Resource group created in this subscription for the system topic.')
param eventsResourceGroupName string

@description('Region of that resource group (the system topic itself is global).')
param eventsLocation string

@description('Name of the custom role definition (a GUID, customRole.bicep) assignable in this subscription.')
param roleDefinitionName string

@description('Principal id of the function app\'s system-assigned identity.')
param functionAppPrincipalId string

@description('Resource id of the function app.')
param functionAppId string

@description('Subscription id of the function app\'s storage account.')
param storageSubscriptionId string

@description('Resource group of the function app\'s storage account.')
param storageResourceGroupName string

param storageAccountName string
param deadLetterContainerName string

@description('false on the very first deployment, before the package (and thus OnResourceEvent) exists.')
param deployEventSubscription bool

param maxDeliveryAttempts int
param eventTimeToLiveInMinutes int
param maxEventsPerBatch int
param tags object = {}

var systemTopicName = 'jitguard-${subscription().subscriptionId}'

resource roleDefinition 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  name: roleDefinitionName
}

resource jitguardRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, functionAppPrincipalId, roleDefinitionName)
  properties: {
    roleDefinitionId: roleDefinition.id
    principalId: functionAppPrincipalId
    principalType: 'ServicePrincipal'
    description: 'jitguard function app ${functionAppId}'
  }
}

resource eventsGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: eventsResourceGroupName
  location: eventsLocation
  tags: tags
}

module topic 'systemTopic.bicep' = {
  name: 'jitguard-topic'
  scope: eventsGroup
  params: {
    name: systemTopicName
    tags: tags
  }
}

module deadLetterAccess 'deadLetterAccess.bicep' = {
  name: 'jitguard-deadletter-${subscription().subscriptionId}'
  scope: resourceGroup(storageSubscriptionId, storageResourceGroupName)
  params: {
    storageAccountName: storageAccountName
    deadLetterContainerName: deadLetterContainerName
    topicPrincipalId: topic.outputs.principalId
    topicId: resourceId(subscription().subscriptionId, eventsResourceGroupName, 'Microsoft.EventGrid/systemTopics', systemTopicName)
  }
}

module eventSubscription 'eventSubscription.bicep' = if (deployEventSubscription) {
  name: 'jitguard-event-subscription'
  scope: eventsGroup
  params: {
    systemTopicName: topic.outputs.name
    functionAppId: functionAppId
    deadLetterStorageAccountId: resourceId(storageSubscriptionId, storageResourceGroupName, 'Microsoft.Storage/storageAccounts', storageAccountName)
    deadLetterContainerName: deadLetterContainerName
    maxDeliveryAttempts: maxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    maxEventsPerBatch: maxEventsPerBatch
  }
  dependsOn: [
    deadLetterAccess
  ]
}

output subscriptionId string = subscription().subscriptionId
output systemTopicId string = topic.outputs.id
output roleAssignmentId string = jitguardRole.id
