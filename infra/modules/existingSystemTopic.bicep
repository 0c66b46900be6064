// An Azure subscription's Event Grid system topic (Microsoft.Resources.Subscriptions) that already exists: Event Grid
// allows one system topic per source, so when the subscription has one, jitguard adds its event subscription to it
// instead of creating its own. Nothing about the topic itself is changed here.

@description('Name of the existing system topic in this resource group.')
param name string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: name
}

output name string = topic.name
output id string = topic.id
output topicType string = topic.properties.topicType
output source string = topic.properties.source
@description('Principal id of the topic\'s system-assigned identity, or empty if it has none (dead-lettering needs it: see infra/README.md).')
output principalId string = topic.?identity.?principalId ?? ''
