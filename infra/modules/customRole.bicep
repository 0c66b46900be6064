// jitguard's custom role: exactly the ARM actions the adapter performs (io.jitguard.arm.ArmOperation) plus
// Microsoft.Compute/virtualMachines/write, which Defender for Cloud requires of whoever configures JIT on a VM.
// No provider wildcard, no data actions, no role-assignment rights.
// Role definitions are tenant-wide objects with tenant-unique names: one definition serves every target
// subscription through assignableScopes, and it is deployed into the first target subscription.
targetScope = 'subscription'

@description('Subscriptions the role may be assigned in (all target subscriptions).')
param assignableSubscriptionIds array

@description('Role name, unique in the tenant.')
param roleName string

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(tenant().tenantId, 'jitguard-custom-role', roleName)
  properties: {
    roleName: roleName
    description: 'jitguard: reads VMs and their network protection, keeps JIT network access policies and the Defender for Cloud JIT monitoring effect in place.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          // inventory
          'Microsoft.Resources/subscriptions/read'
          'Microsoft.Resources/subscriptions/resourceGroups/read'
          'Microsoft.Compute/virtualMachines/read'
          'Microsoft.ClassicCompute/virtualMachines/read'
          // network protection (an NSG on the NIC or subnet, or an Azure Firewall)
          'Microsoft.Network/networkInterfaces/read'
          'Microsoft.Network/networkSecurityGroups/read'
          'Microsoft.Network/virtualNetworks/read'
          'Microsoft.Network/virtualNetworks/subnets/read'
          'Microsoft.Network/azureFirewalls/read'
          // Azure Virtual Network Manager security admin rules in effect on a VNet (a POST that only reads)
          'Microsoft.Network/virtualNetworks/listNetworkManagerEffectiveSecurityAdminRules/action'
          // Defender for Servers plan
          'Microsoft.Security/pricings/read'
          // JIT policies
          'Microsoft.Security/locations/jitNetworkAccessPolicies/read'
          'Microsoft.Security/locations/jitNetworkAccessPolicies/write'
          // Defender requires this of whoever configures JIT for a VM; jitguard never PUTs a VM itself.
          'Microsoft.Compute/virtualMachines/write'
          // the JIT monitoring effect on the SecurityCenterBuiltIn assignment
          'Microsoft.Authorization/policyAssignments/read'
          'Microsoft.Authorization/policyAssignments/write'
          // exemptions of the JIT audit are reported, never changed
          'Microsoft.Authorization/policyExemptions/read'
          // Resource Graph sizes the nightly sweep (it answers only what the read actions above allow)
          'Microsoft.ResourceGraph/resources/read'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [for id in assignableSubscriptionIds: '/subscriptions/${id}']
  }
}

@description('The role definition name (a GUID); resolve it in any assignable subscription with subscriptionResourceId().')
output roleDefinitionName string = role.name
output roleDefinitionId string = role.id
