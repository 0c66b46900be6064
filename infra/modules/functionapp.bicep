// jitguard's function app: Linux, Java 21 (Java 17 bytecode), Flex Consumption (FC1), system-assigned managed identity,
// identity-based host storage. The app settings are jitguard's settings (io.jitguard.baseline.Settings).

@description('Azure region of the plan and the app (Flex Consumption must be available there).')
param location string

@description('Globally unique function app name; becomes <name>.azurewebsites.net.')
param name string

@description('Name of the storage account created by storage.bicep (same resource group).')
param storageAccountName string

@description('Blob container holding the deployment package (Flex Consumption).')
param deploymentContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Subscriptions jitguard reconciles (JITGUARD_SUBSCRIPTIONS).')
param targetSubscriptionIds array

@description('dry-run ("audit") or write ("enforce") (JITGUARD_MODE).')
@allowed([
  'audit'
  'enforce'
])
param mode string

@description('Management ports every VM must have under JIT, comma-separated (JITGUARD_PORTS).')
param ports string

@description('Allowed source address prefixes of JIT requests, comma-separated (JITGUARD_SOURCE_PREFIXES).')
param sourcePrefixes string

@description('Longest access a JIT request may grant, ISO-8601 duration (JITGUARD_MAX_DURATION).')
param maxDuration string

@description('Ports of Linux VMs, comma-separated; empty = ports (JITGUARD_PORTS_LINUX).')
param portsLinux string = ''

@description('Ports of Windows VMs, comma-separated; empty = ports (JITGUARD_PORTS_WINDOWS).')
param portsWindows string = ''

@description('The approved exclusions as a JSON array (JITGUARD_EXCLUSIONS); used unless exclusionsSecretUri is set.')
param exclusionsJson string = '[]'

@description('Key Vault secret URI holding the JSON of JITGUARD_EXCLUSIONS (a Key Vault reference); empty = exclusionsJson.')
param exclusionsSecretUri string = ''

@description('"on" honours the exclusion tag with a last day, "off" refuses it (JITGUARD_TAG_EXCLUSIONS).')
@allowed([
  'on'
  'off'
])
param tagExclusions string = 'off'

@description('The exclusion tag\'s name (JITGUARD_EXCLUDE_TAG).')
param excludeTag string = 'jitguard-exclude'

@description('How many days ahead an exclusion tag\'s last day may lie (JITGUARD_TAG_MAX_DAYS).')
@minValue(1)
@maxValue(366)
param tagMaxDays int = 30

@description('Grace after a JIT write before a missing Defender deny rule counts (JITGUARD_JIT_DENY_GRACE).')
param jitDenyGrace string = 'PT1H'

@description('Widest public prefix length that counts as the Internet (JITGUARD_EXPOSURE_PREFIX_LENGTH).')
@minValue(0)
@maxValue(32)
param exposurePrefixLength int = 8

@description('ARM calls one run keeps in flight (JITGUARD_PARALLELISM).')
@minValue(1)
@maxValue(64)
param parallelism int = 16

@description('Client id of the Entra ID app registration App Service Authentication validates tokens for.')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string

@description('Azure Resource Manager endpoint (JITGUARD_ARM_ENDPOINT).')
param armEndpoint string

@description('Six-field NCRONTAB schedule of NightlySweep, UTC (JITGUARD_SWEEP_SCHEDULE).')
param sweepSchedule string

@description('Upper bound on instances Flex Consumption scales out to (40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Key Vault secret URI of the notification webhook URL (JITGUARD_NOTIFY_WEBHOOK, as a Key Vault reference); empty = no notifications.')
param notifyWebhookSecretUri string = ''

@description('Payload format of the notification webhook (JITGUARD_NOTIFY_FORMAT).')
@allowed([
  'json'
  'slack'
  'teams'
])
param notifyFormat string = 'json'

param tags object = {}

// Notifications only when a webhook secret is given. The URL stays in Key Vault: the app setting is a Key Vault
// reference the platform resolves with the app's system-assigned identity, which needs Key Vault Secrets User on
// the vault (README). A secret URI without a version follows rotations (re-read within a day).
var notifyAppSettings = empty(notifyWebhookSecretUri) ? [] : [
  {
    name: 'JITGUARD_NOTIFY_WEBHOOK'
    value: '@Microsoft.KeyVault(SecretUri=${notifyWebhookSecretUri})'
  }
  {
    name: 'JITGUARD_NOTIFY_FORMAT'
    value: notifyFormat
  }
]

// Built-in data roles the app's identity needs on its own storage account.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // host storage, deployment package, blob leases
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // jitguard-sweep queue trigger and output

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'java'
        version: '21'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the runtime from functionAppConfig.runtime and rejects the
      // FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION app settings, so neither is set here.
      appSettings: concat([
        {
          // Identity-based host storage: no connection string, no key. The host (and jitguard's own
          // storage clients) build https://<account>.blob|queue.core.windows.net and use the app's identity.
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          name: 'JITGUARD_PORTS'
          value: ports
        }
        {
          name: 'JITGUARD_SOURCE_PREFIXES'
          value: sourcePrefixes
        }
        {
          name: 'JITGUARD_MAX_DURATION'
          value: maxDuration
        }
        {
          name: 'JITGUARD_MODE'
          value: mode
        }
        {
          name: 'JITGUARD_SUBSCRIPTIONS'
          value: join(targetSubscriptionIds, ',')
        }
        {
          name: 'JITGUARD_ARM_ENDPOINT'
          value: armEndpoint
        }
        {
          name: 'JITGUARD_SWEEP_SCHEDULE'
          value: sweepSchedule
        }
        { name: 'languageWorkers__java__arguments', value: '-XX:+UseSerialGC -Xshare:auto' }
        {
          name: 'JITGUARD_PORTS_LINUX'
          value: portsLinux
        }
        {
          name: 'JITGUARD_PORTS_WINDOWS'
          value: portsWindows
        }
        {
          // Every redeploy writes the whole list from the parameters (or the Key Vault secret), so no exclusion
          // is ever dropped by a deployment and none exists that the parameters do not show.
          name: 'JITGUARD_EXCLUSIONS'
          value: empty(exclusionsSecretUri) ? exclusionsJson : '@Microsoft.KeyVault(SecretUri=${exclusionsSecretUri})'
        }
        {
          name: 'JITGUARD_TAG_EXCLUSIONS'
          value: tagExclusions
        }
        {
          name: 'JITGUARD_EXCLUDE_TAG'
          value: excludeTag
        }
        {
          name: 'JITGUARD_TAG_MAX_DAYS'
          value: string(tagMaxDays)
        }
        {
          name: 'JITGUARD_JIT_DENY_GRACE'
          value: jitDenyGrace
        }
        {
          name: 'JITGUARD_EXPOSURE_PREFIX_LENGTH'
          value: string(exposurePrefixLength)
        }
        {
          name: 'JITGUARD_PARALLELISM'
          value: string(parallelism)
        }
        {
          // App Service Authentication (authSettings below) fronts the HTTP functions: a call without the
          // platform's validated principal is refused by the function too, never trusted.
          name: 'JITGUARD_REQUIRE_PRINCIPAL'
          value: 'true'
        }
      ], notifyAppSettings)
    }
  }
}

// App Service Authentication with Entra ID: /api/remediate and /api/coverage answer 401 to a call without a valid
// token for the app registration before any function runs; the function then checks the app role in the
// platform's x-ms-client-principal (Jitguard.Remediate to fix, Jitguard.Read to read) and still needs its
// function key. Event Grid's delivery to the Event Grid extension's webhook carries no Entra token; it is
// authorised by the extension's system key, so that one path is excluded.
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/runtime/webhooks/eventgrid'
      ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionApp.id, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionApp.id, storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = functionApp.id
output name string = functionApp.name
output principalId string = functionApp.identity.principalId
output defaultHostName string = functionApp.properties.defaultHostName
