// Everything jitguard needs in one target subscription: the custom role assigned to the function app's
// identity at subscription scope, the subscription's Event Grid system topic (jitguard's own in a resource group it
// creates, or the one the subscription already has: Event Grid allows only one per source), the topic's right to
// dead-letter into the central storage account, and the event subscription to OnResourceEvent.
targetScope = 'subscription'

@description('Resource group created in this subscription for jitguard\'s own system topic (not used with existingSystemTopic).')
param eventsResourceGroupName string

@description('The subscription\'s existing Microsoft.Resources.Subscriptions system topic, { name, resourceGroup }, or {} to create jitguard\'s own.')
param existingSystemTopic object = {}

@description('Name of the event subscription on the topic.')
param eventSubscriptionName string

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
@description('Also deliver tag writes and deletes (tag exclusions are on).')
param routeTagWrites bool = false
param tags object = {}

var useExistingTopic = !empty(existingSystemTopic)
var systemTopicName = useExistingTopic ? existingSystemTopic.name : 'jitguard-${subscription().subscriptionId}'
var topicResourceGroupName = useExistingTopic ? existingSystemTopic.resourceGroup : eventsResourceGroupName
var systemTopicId = resourceId(subscription().subscriptionId, topicResourceGroupName, 'Microsoft.EventGrid/systemTopics', systemTopicName)

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

resource eventsGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = if (!useExistingTopic) {
  name: eventsResourceGroupName
  location: eventsLocation
  tags: tags
}

// Path 1: no system topic yet, jitguard creates its own.
module newTopic 'systemTopic.bicep' = if (!useExistingTopic) {
  name: 'jitguard-topic'
  scope: resourceGroup(eventsResourceGroupName)
  params: {
    name: systemTopicName
    tags: tags
  }
  dependsOn: [
    eventsGroup
  ]
}

// Path 2: the subscription already has one (only one is allowed per source); reference it, change nothing on it.
module existingTopic 'existingSystemTopic.bicep' = if (useExistingTopic) {
  name: 'jitguard-existing-topic'
  scope: resourceGroup(topicResourceGroupName)
  params: {
    name: systemTopicName
  }
}

// Only the branch the condition selects is evaluated, so the other module's missing outputs are never read.
var topicPrincipalId = useExistingTopic ? existingTopic.outputs.principalId : newTopic.outputs.principalId

module deadLetterAccess 'deadLetterAccess.bicep' = {
  name: 'jitguard-deadletter-${subscription().subscriptionId}'
  scope: resourceGroup(storageSubscriptionId, storageResourceGroupName)
  params: {
    storageAccountName: storageAccountName
    deadLetterContainerName: deadLetterContainerName
    topicPrincipalId: topicPrincipalId
    topicId: systemTopicId
  }
}

module eventSubscription 'eventSubscription.bicep' = if (deployEventSubscription) {
  name: 'jitguard-event-subscription'
  scope: resourceGroup(topicResourceGroupName)
  params: {
    systemTopicName: systemTopicName
    name: eventSubscriptionName
    functionAppId: functionAppId
    deadLetterStorageAccountId: resourceId(storageSubscriptionId, storageResourceGroupName, 'Microsoft.Storage/storageAccounts', storageAccountName)
    deadLetterContainerName: deadLetterContainerName
    maxDeliveryAttempts: maxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    maxEventsPerBatch: maxEventsPerBatch
    routeTagWrites: routeTagWrites
  }
  dependsOn: [
    newTopic
    existingTopic
    deadLetterAccess
  ]
}

output subscriptionId string = subscription().subscriptionId
output systemTopicId string = systemTopicId
output systemTopicName string = systemTopicName
output systemTopicResourceGroup string = topicResourceGroupName
output usesExistingSystemTopic bool = useExistingTopic
output roleAssignmentId string = jitguardRole.id
