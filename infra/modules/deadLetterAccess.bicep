// Lets one system topic's identity write dead-lettered events into the dead-letter container
// (Storage Blob Data Contributor on that container only). Deployed into the function app's resource group.

param storageAccountName string
param deadLetterContainerName string

// Empty when an existing system topic has no system-assigned identity: the deployment then stops here, on this
// parameter. Enable the topic's identity (infra/README.md, "Reusing an existing system topic") and deploy again.
@description('Principal id of the system topic\'s system-assigned identity. Empty = the existing topic has no system-assigned identity: enable it (az eventgrid system-topic update --identity systemassigned) and deploy again.')
@minLength(36)
@maxLength(36)
param topicPrincipalId string

@description('Resource id of the system topic (only used to name the assignment deterministically).')
param topicId string

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource container 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource writer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::container.id, topicId, storageBlobDataContributor)
  scope: storage::blobService::container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: topicPrincipalId
    principalType: 'ServicePrincipal'
  }
}
