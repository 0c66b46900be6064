// The Event Grid system topic of one Azure subscription (Microsoft.Resources.Subscriptions). It lives in a
// resource group of that subscription; its system-assigned identity writes undeliverable events to the
// dead-letter container.

@description('System topic name.')
param name string

param tags object = {}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: 'global'
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

output name string = topic.name
output id string = topic.id
output principalId string = topic.identity.principalId
