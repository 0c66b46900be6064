// Delivers the subscription's ARM write/delete events that jitguard reconciles to the OnResourceEvent
// function. The advanced filter lists exactly io.jitguard.events.RoutedOperations.ALWAYS, plus
// RoutedOperations.TAG_OPERATIONS when tag exclusions are on (at most 8 of Event Grid's 25 filter values);
// anything else never reaches the app. The topic is jitguard's own (systemTopic.bicep) or the
// subscription's existing one (existingSystemTopic.bicep); either way it is in this resource group.

@description('Name of the system topic in this resource group.')
param systemTopicName string

@description('Name of the event subscription.')
param name string = 'jitguard-on-resource-event'

@description('Resource id of the jitguard function app (any subscription of the tenant).')
param functionAppId string

@description('Storage account (resource id) holding the dead-letter container.')
param deadLetterStorageAccountId string

param deadLetterContainerName string

@description('Delivery attempts before an event is dead-lettered (1-30).')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int

@description('Minutes an event is retried before it is dead-lettered (1-1440).')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int

@description('Events per delivery to the function (1-5000).')
@minValue(1)
@maxValue(5000)
param maxEventsPerBatch int

@description('Also deliver tag writes and deletes on VMs and resource groups, so a removed or expired exclusion tag is acted on at once (JITGUARD_TAG_EXCLUSIONS=on).')
param routeTagWrites bool = false

// RoutedOperations.ALWAYS
var alwaysRouted = [
  'Microsoft.Compute/virtualMachines/write'
  'Microsoft.Compute/virtualMachines/delete'
  'Microsoft.Security/locations/jitNetworkAccessPolicies/write'
  'Microsoft.Security/locations/jitNetworkAccessPolicies/delete'
  'Microsoft.Authorization/policyAssignments/write'
  'Microsoft.Authorization/policyAssignments/delete'
]

// RoutedOperations.TAG_OPERATIONS: the Tags API (<resource id>/providers/Microsoft.Resources/tags/default), which the
// portal uses to tag a VM or a resource group.
var tagOperations = [
  'Microsoft.Resources/tags/write'
  'Microsoft.Resources/tags/delete'
]

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource toOnResourceEvent 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: name
  properties: {
    // The AzureFunction endpoint type: Event Grid looks up the function's eventgrid_extension key itself,
    // so no key is handled here. The function must already exist when this is created (see README).
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionAppId}/functions/OnResourceEvent'
        maxEventsPerBatch: maxEventsPerBatch
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      // ResourceDeleteSuccess carries the deletes below, Microsoft.Compute/virtualMachines/delete included (a deleted
      // VM's entry is dropped from its JIT policy).
      includedEventTypes: [
        'Microsoft.Resources.ResourceWriteSuccess'
        'Microsoft.Resources.ResourceDeleteSuccess'
      ]
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.operationName'
          values: routeTagWrites ? concat(alwaysRouted, tagOperations) : alwaysRouted
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned' // the system topic's identity, granted by deadLetterAccess.bicep
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterStorageAccountId
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output name string = toOnResourceEvent.name
