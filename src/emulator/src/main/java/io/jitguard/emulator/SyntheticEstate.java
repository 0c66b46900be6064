package io.jitguard.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Builds {@link Estate#synthetic} estates for benchmarks, directly (no JSON round trip). Each subscription has:
 * resource groups {@code rg-0, rg-1, …} of at most {@value #VMS_PER_GROUP} VMs in {@code westeurope}; one VNet with one
 * subnet; one NSG; per VM a Linux VM and its NIC (the NSG on the NIC); per group one JIT policy {@code default} that
 * covers the compliant VMs with ports 22/3389/5985/5986, PT3H, source {@code *} (absent when no VM of the group is
 * compliant); Defender for Servers P2; and the {@code SecurityCenterBuiltIn} assignment, whose JIT monitoring effect is
 * {@code Disabled} in the first {@code round(subscriptions × nonCompliantFraction)} subscriptions. Each VM is
 * non-compliant (not in the policy) with probability {@code nonCompliantFraction}, drawn from {@code seed}.
 */
final class SyntheticEstate {
    static final int VMS_PER_GROUP = 500;
    static final String LOCATION = "westeurope";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SyntheticEstate() {
    }

    static Estate build(int subscriptions, int vmsPerSubscription, double nonCompliantFraction, long seed) {
        if (subscriptions < 1 || vmsPerSubscription < 0 || !(nonCompliantFraction >= 0 && nonCompliantFraction <= 1)) {
            throw new EstateException("synthetic: subscriptions must be >= 1, vmsPerSubscription >= 0 and "
                    + "nonCompliantFraction within 0..1 (were " + subscriptions + ", " + vmsPerSubscription + ", "
                    + nonCompliantFraction + ")");
        }
        Random random = new Random(seed);
        String tenant = new UUID(seed, 0xAAAAL).toString();
        List<Estate.Subscription> subs = new ArrayList<>();
        List<ObjectNode> resources = new ArrayList<>();
        long disabled = Math.round(subscriptions * nonCompliantFraction);
        for (int s = 0; s < subscriptions; s++) {
            String sub = new UUID(seed ^ 0x5EEDL, s + 1L).toString();
            String base = "/subscriptions/" + sub;
            int groupCount = Math.max(1, (vmsPerSubscription + VMS_PER_GROUP - 1) / VMS_PER_GROUP);
            List<Estate.ResourceGroup> groups = new ArrayList<>();
            for (int g = 0; g < groupCount; g++) {
                groups.add(new Estate.ResourceGroup("rg-" + g, LOCATION, Map.of()));
            }
            subs.add(new Estate.Subscription(sub, "synthetic-" + s, "Enabled", List.copyOf(groups)));
            String nsg = base + "/resourceGroups/rg-0/providers/Microsoft.Network/networkSecurityGroups/nsg";
            resources.add(resource(nsg, LOCATION).set("properties", NODES.objectNode()
                    .<ObjectNode>set("securityRules", NODES.arrayNode()).put("provisioningState", "Succeeded")));
            String vnet = base + "/resourceGroups/rg-0/providers/Microsoft.Network/virtualNetworks/vnet";
            String subnet = vnet + "/subnets/default";
            ObjectNode vnetNode = resource(vnet, LOCATION);
            ObjectNode vp = vnetNode.putObject("properties");
            vp.putObject("addressSpace").putArray("addressPrefixes").add("10.0.0.0/8");
            ObjectNode sn = vp.putArray("subnets").addObject();
            sn.put("id", subnet).put("name", "default").put("type", "Microsoft.Network/virtualNetworks/subnets");
            sn.putObject("properties").put("addressPrefix", "10.0.0.0/16").put("provisioningState", "Succeeded");
            resources.add(vnetNode);
            List<ArrayNode> policyVms = new ArrayList<>();
            for (int g = 0; g < groupCount; g++) {
                policyVms.add(NODES.arrayNode());
            }
            for (int v = 0; v < vmsPerSubscription; v++) {
                int g = v / VMS_PER_GROUP;
                String rg = base + "/resourceGroups/rg-" + g;
                String name = "vm-" + v;
                String vmId = rg + "/providers/Microsoft.Compute/virtualMachines/" + name;
                String nicId = rg + "/providers/Microsoft.Network/networkInterfaces/" + name + "-nic";
                ObjectNode vm = resource(vmId, LOCATION);
                ObjectNode p = vm.putObject("properties");
                p.put("vmId", new UUID(seed + s, v).toString());
                p.putObject("hardwareProfile").put("vmSize", "Standard_B2s");
                p.putObject("storageProfile").putObject("osDisk").put("osType", "Linux").put("name", name + "-os");
                p.putObject("networkProfile").putArray("networkInterfaces").addObject().put("id", nicId)
                        .putObject("properties").put("primary", true);
                p.put("provisioningState", "Succeeded");
                resources.add(vm);
                ObjectNode nic = resource(nicId, LOCATION);
                ObjectNode np = nic.putObject("properties");
                ObjectNode ip = np.putArray("ipConfigurations").addObject();
                ip.put("id", nicId + "/ipConfigurations/ipconfig1").put("name", "ipconfig1");
                ObjectNode ipp = ip.putObject("properties");
                ipp.putObject("subnet").put("id", subnet);
                ipp.put("privateIPAddress", "10.0." + (v / 250) + "." + (v % 250 + 4)).put("primary", true);
                np.putObject("virtualMachine").put("id", vmId);
                np.putObject("networkSecurityGroup").put("id", nsg);
                resources.add(nic);
                if (random.nextDouble() >= nonCompliantFraction) {
                    ObjectNode entry = policyVms.get(g).addObject();
                    entry.put("id", vmId);
                    ArrayNode ports = entry.putArray("ports");
                    for (int port : new int[] {22, 3389, 5985, 5986}) {
                        ports.addObject().put("number", port).put("protocol", "*")
                                .put("maxRequestAccessDuration", "PT3H").put("allowedSourceAddressPrefix", "*");
                    }
                }
            }
            for (int g = 0; g < groupCount; g++) {
                if (policyVms.get(g).isEmpty()) {
                    continue;
                }
                ObjectNode policy = resource(base + "/resourceGroups/rg-" + g + "/providers/Microsoft.Security/locations/"
                        + LOCATION + "/jitNetworkAccessPolicies/default", LOCATION);
                policy.put("kind", "Basic");
                policy.putObject("properties").<ObjectNode>set("virtualMachines", policyVms.get(g))
                        .put("provisioningState", "Succeeded");
                resources.add(policy);
            }
            ObjectNode pricing = resource(base + "/providers/Microsoft.Security/pricings/VirtualMachines", null);
            pricing.putObject("properties").put("pricingTier", "Standard").put("subPlan", "P2");
            resources.add(pricing);
            ObjectNode assignment = resource(base
                    + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn", null);
            ObjectNode ap = assignment.putObject("properties");
            ap.put("displayName", "ASC Default (subscription: " + sub + ")");
            ap.put("policyDefinitionId",
                    "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8");
            ap.put("scope", base);
            ap.putObject("parameters").putObject("jitNetworkAccessMonitoringEffect")
                    .put("value", s < disabled ? "Disabled" : "AuditIfNotExists");
            ap.put("enforcementMode", "Default");
            resources.add(assignment);
        }
        return new Estate(tenant, 1000, null, subs, resources, java.time.Duration.ZERO, false);
    }

    private static ObjectNode resource(String id, String location) {
        ArmId parsed = ArmId.parse(id);
        ObjectNode r = NODES.objectNode();
        r.put("id", id).put("name", parsed.name()).put("type", parsed.type());
        if (location != null) {
            r.put("location", location);
        }
        r.putObject("tags");
        return r;
    }
}
