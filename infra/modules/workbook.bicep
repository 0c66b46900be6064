// The jitguard workbook (Azure Monitor Workbooks) on the function app's Application Insights component: coverage over
// time, the latest status per VM and per scope, drift events by actor, failures. Its content is
// infra/workbooks/jitguard.workbook.json (edit it in the portal's Advanced Editor and paste it back there).

@description('Region of the workbook.')
param location string

@description('Resource id of the Application Insights component the queries run against.')
param appInsightsId string

@description('Workbook title.')
param displayName string = 'jitguard'

param tags object = {}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'jitguard-workbook', appInsightsId)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    version: 'Notebook/1.0'
    sourceId: appInsightsId
    serializedData: replace(loadTextContent('../workbooks/jitguard.workbook.json'), '__APP_INSIGHTS_ID__', appInsightsId)
  }
}

output id string = workbook.id
