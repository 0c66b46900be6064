// jitguard: a function app that keeps every Azure VM of the target subscriptions behind Defender for Cloud
// just-in-time VM access. Deploy into the resource group that will hold the app:
//   az deployment group create -g <rg> -f infra/main.bicep -p @infra/main.parameters.json
// See infra/README.md for the whole procedure (first run, package deployment, audit then enforce, teardown).
targetScope = 'resourceGroup'

@description('The subscription\'s existing Event Grid system topic of type Microsoft.Resources.Subscriptions.')
type existingSystemTopicRef = {
  @description('System topic name.')
  name: string
  @description('Its resource group, in that subscription.')
  resourceGroup: string
}

@description('One approved exclusion (JITGUARD_EXCLUSIONS): a subscription, resource group or VM id kept out of JIT until its last day.')
type exclusion = {
  @description('Subscription, resource group or virtual machine id.')
  scope: string
  @description('Why, in words (a change or risk-acceptance reference).')
  reason: string
  @description('Last day it applies (yyyy-mm-dd, UTC).')
  expiresOn: string
  @description('Who approved it.')
  approvedBy: string
}

@description('A subscription jitguard reconciles.')
type targetSubscription = {
  @description('Subscription id (a GUID).')
  subscriptionId: string
  @description('Set when the subscription already has a Microsoft.Resources.Subscriptions system topic (Event Grid allows one per source): jitguard then adds its event subscription to that topic instead of creating its own.')
  existingSystemTopic: existingSystemTopicRef?
}

@description('Subscriptions jitguard reconciles. Each gets a role assignment, a system topic (or reuses its existing one) and an event subscription. Keep the first entry first: the custom role lives in that subscription.')
@minLength(1)
param targetSubscriptions targetSubscription[]

@description('Region of the function app, its storage and its monitoring. Must offer Flex Consumption.')
param location string = resourceGroup().location

@description('Globally unique function app name.')
@minLength(2)
@maxLength(60)
param appName string = 'jitguard-${uniqueString(resourceGroup().id)}'

@description('Globally unique storage account name.')
@minLength(3)
@maxLength(24)
param storageAccountName string = 'stjitguard${uniqueString(resourceGroup().id)}'

@description('JITGUARD_MODE: "audit" reports what it would change (dry run, the default), "enforce" writes.')
@allowed([
  'audit'
  'enforce'
])
param mode string = 'audit'

@description('JITGUARD_PORTS: management ports every VM must have under JIT, comma-separated.')
param ports string = '22,3389,5985,5986'

@description('JITGUARD_SOURCE_PREFIXES: allowed source address prefixes of JIT requests, comma-separated.')
param sourcePrefixes string = '*'

@description('JITGUARD_MAX_DURATION: the longest access a JIT request may grant (ISO-8601, PT5M..P1D).')
param maxDuration string = 'PT3H'

@description('JITGUARD_PORTS_LINUX: ports of VMs whose OS disk is Linux, comma-separated; empty = JITGUARD_PORTS.')
param portsLinux string = ''

@description('JITGUARD_PORTS_WINDOWS: ports of VMs whose OS disk is Windows, comma-separated; empty = JITGUARD_PORTS.')
param portsWindows string = ''

@description('JITGUARD_EXCLUSIONS as an app setting: the approved exclusions. Kept in the parameters file so a redeploy never drops one. Ignored when exclusionsSecretUri is set.')
param exclusions exclusion[] = []

@description('Key Vault secret URI (https://<vault>.vault.azure.net/secrets/<name>[/<version>]) holding JITGUARD_EXCLUSIONS as JSON; when set it replaces the exclusions parameter. The app\'s identity needs Key Vault Secrets User on that vault.')
param exclusionsSecretUri string = ''

@description('JITGUARD_TAG_EXCLUSIONS: "on" lets the exclusion tag (with a last day at most tagMaxDays ahead) take a VM or resource group out of JIT, and subscribes to tag writes; "off" (default) refuses and reports every such tag.')
@allowed([
  'on'
  'off'
])
param tagExclusions string = 'off'

@description('JITGUARD_EXCLUDE_TAG: the exclusion tag\'s name.')
param excludeTag string = 'jitguard-exclude'

@description('JITGUARD_TAG_MAX_DAYS: how many days ahead an exclusion tag\'s last day may lie.')
@minValue(1)
@maxValue(366)
param tagMaxDays int = 30

@description('JITGUARD_JIT_DENY_GRACE: how long after a JIT policy write Defender may take to add its NSG deny rules (ISO-8601, PT0S..P7D).')
param jitDenyGrace string = 'PT1H'

@description('JITGUARD_EXPOSURE_PREFIX_LENGTH: a public source prefix this wide or wider counts as the Internet (0-32).')
@minValue(0)
@maxValue(32)
param exposurePrefixLength int = 8

@description('JITGUARD_PARALLELISM: ARM reads and writes one run keeps in flight (1-64).')
@minValue(1)
@maxValue(64)
param parallelism int = 16

@description('Client id of the Entra ID app registration that fronts /api/remediate and /api/coverage (App Service Authentication). It defines the app roles Jitguard.Remediate and Jitguard.Read; see infra/README.md.')
@minLength(36)
@maxLength(36)
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string = tenant().tenantId

@description('JITGUARD_ARM_ENDPOINT: Azure Resource Manager endpoint (https://management.azure.com/ in the public cloud).')
param armEndpoint string = environment().resourceManager

@description('JITGUARD_SWEEP_SCHEDULE: six-field NCRONTAB schedule of the nightly sweep, UTC.')
param sweepSchedule string = '0 0 2 * * *'

@description('Resource group created in every target subscription without existingSystemTopic, for jitguard\'s own system topic.')
param eventsResourceGroupName string = 'rg-jitguard-events'

@description('Region of those resource groups.')
param eventsLocation string = location

@description('Create the event subscriptions. Set to false on the very first deployment: Event Grid refuses an AzureFunction destination until the package holding OnResourceEvent is deployed.')
param deployEventSubscriptions bool = true

@description('Event Grid delivery attempts before dead-lettering.')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int = 30

@description('Minutes Event Grid keeps retrying an event before dead-lettering it.')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

@description('Events per delivery to OnResourceEvent.')
@minValue(1)
@maxValue(5000)
param maxEventsPerBatch int = 1

@description('Flex Consumption: most instances the app scales out to (also bounds concurrent ARM callers).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('E-mail address of the action group that receives jitguard\'s alerts (poison queue, dead-lettered events, failed or exposed decisions).')
param alertEmailAddress string

@description('Key Vault secret URI (https://<vault>.vault.azure.net/secrets/<name>[/<version>]) holding the notification webhook URL; empty = no notifications. The app\'s identity needs Key Vault Secrets User on that vault.')
param notifyWebhookSecretUri string = ''

@description('JITGUARD_NOTIFY_FORMAT: payload of the notification webhook (only set with notifyWebhookSecretUri).')
@allowed([
  'json'
  'slack'
  'teams'
])
param notifyFormat string = 'json'

param tags object = {
  app: 'jitguard'
}

var targetSubscriptionIds = map(targetSubscriptions, t => t.subscriptionId)
var eventSubscriptionName = 'jitguard-on-resource-event'
var deploymentContainerName = 'app-package'
var deadLetterContainerName = 'jitguard-deadletter'

module monitoring 'modules/monitoring.bicep' = {
  name: 'jitguard-monitoring'
  params: {
    location: location
    baseName: appName
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'jitguard-storage'
  params: {
    location: location
    name: storageAccountName
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
    tags: tags
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'jitguard-functionapp'
  params: {
    location: location
    name: appName
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    targetSubscriptionIds: targetSubscriptionIds
    mode: mode
    ports: ports
    sourcePrefixes: sourcePrefixes
    maxDuration: maxDuration
    portsLinux: portsLinux
    portsWindows: portsWindows
    exclusionsJson: string(exclusions)
    exclusionsSecretUri: exclusionsSecretUri
    tagExclusions: tagExclusions
    excludeTag: excludeTag
    tagMaxDays: tagMaxDays
    jitDenyGrace: jitDenyGrace
    exposurePrefixLength: exposurePrefixLength
    parallelism: parallelism
    authClientId: authClientId
    authTenantId: authTenantId
    armEndpoint: armEndpoint
    sweepSchedule: sweepSchedule
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    notifyWebhookSecretUri: notifyWebhookSecretUri
    notifyFormat: notifyFormat
    tags: tags
  }
}

// One role definition for the whole tenant (role names are tenant-unique), assignable in every target subscription.
module role 'modules/customRole.bicep' = {
  name: 'jitguard-role'
  scope: subscription(targetSubscriptionIds[0])
  params: {
    assignableSubscriptionIds: targetSubscriptionIds
    roleName: 'jitguard JIT reconciler (${appName})'
  }
}

module targets 'modules/targetSubscription.bicep' = [for target in targetSubscriptions: {
  name: 'jitguard-target-${target.subscriptionId}'
  scope: subscription(target.subscriptionId)
  params: {
    eventsResourceGroupName: eventsResourceGroupName
    existingSystemTopic: target.?existingSystemTopic ?? {}
    eventSubscriptionName: eventSubscriptionName
    eventsLocation: eventsLocation
    roleDefinitionName: role.outputs.roleDefinitionName
    functionAppPrincipalId: app.outputs.principalId
    functionAppId: app.outputs.id
    storageSubscriptionId: subscription().subscriptionId
    storageResourceGroupName: resourceGroup().name
    storageAccountName: storage.outputs.name
    deadLetterContainerName: storage.outputs.deadLetterContainerName
    deployEventSubscription: deployEventSubscriptions
    maxDeliveryAttempts: maxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    maxEventsPerBatch: maxEventsPerBatch
    routeTagWrites: tagExclusions == 'on'
    tags: tags
  }
}]

module alerts 'modules/alerts.bicep' = {
  name: 'jitguard-alerts'
  params: {
    location: location
    baseName: appName
    alertEmailAddress: alertEmailAddress
    appInsightsId: monitoring.outputs.appInsightsId
    systemTopicIds: [for i in range(0, length(targetSubscriptions)): targets[i].outputs.systemTopicId]
    eventSubscriptionName: eventSubscriptionName
    poisonQueueName: '${storage.outputs.sweepQueueName}-poison'
    tags: tags
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'jitguard-workbook'
  params: {
    location: location
    appInsightsId: monitoring.outputs.appInsightsId
    tags: tags
  }
}

output functionAppName string = app.outputs.name
output functionAppId string = app.outputs.id
output functionAppHostName string = app.outputs.defaultHostName
output functionAppPrincipalId string = app.outputs.principalId
output storageAccountName string = storage.outputs.name
output sweepQueueName string = storage.outputs.sweepQueueName
output deadLetterContainerName string = storage.outputs.deadLetterContainerName
output appInsightsName string = monitoring.outputs.appInsightsName
output customRoleDefinitionId string = role.outputs.roleDefinitionId
output systemTopicIds array = [for i in range(0, length(targetSubscriptionIds)): targets[i].outputs.systemTopicId]
output actionGroupId string = alerts.outputs.actionGroupId
output workbookId string = workbook.outputs.id
output mode string = mode
output tagExclusions string = tagExclusions
