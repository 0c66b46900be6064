package io.jitguard.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generates {@link Estate#synthetic} estates for benchmarks. Per subscription, the compact shape: four resource groups
 * (two in {@code westeurope}, two in {@code northeurope}); the wide shape ({@link Estate#syntheticWide}): ten resource
 * groups, each with VMs in both locations. Each resource group + location (a cell) has a VNet, one subnet and one NSG
 * (on the subnet and on every NIC) and its own JIT policy; VMs round-robin over the cells, each with one NIC; Defender for Servers Plan 2; the Defender assignment with
 * {@code jitNetworkAccessMonitoringEffect = AuditIfNotExists}; per group a {@code default} JIT policy listing the
 * compliant VMs (ports 22 and 3389, PT3H). A VM is non-compliant with probability {@code nonCompliantFraction} from a
 * {@link SplittableRandom} seeded with {@code seed}, so the same arguments give the same estate. Resource nodes are
 * kept small (about 1 KB of JSON per VM with its NIC), so 50,000 VMs fit in a few hundred MB of heap.
 */
final class SyntheticEstate {
    static final String TENANT = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    private static final String[] LOCATIONS = {"westeurope", "northeurope"};
    /** The compact shape: 4 resource groups of one location each (4 JIT policies per subscription). */
    static final Shape COMPACT = new Shape(4, 1);
    /** The wide shape: 10 resource groups × 2 locations (20 JIT policies per subscription). */
    static final Shape WIDE = new Shape(10, 2);

    /** {@code groups} resource groups, each holding VMs in {@code locationsPerGroup} locations. */
    record Shape(int groups, int locationsPerGroup) {
        int cells() {
            return groups * locationsPerGroup;
        }

        int group(int cell) {
            return cell / locationsPerGroup;
        }

        String location(int cell) {
            return LOCATIONS[(locationsPerGroup == 1 ? cell : cell % locationsPerGroup) % LOCATIONS.length];
        }
    }

    private SyntheticEstate() {
    }

    static String subscriptionId(int s) {
        return String.format("%08x-0000-4000-8000-%012x", s + 1, s + 1);
    }

    static Estate generate(int subscriptions, int vmsPerSubscription, double nonCompliantFraction, long seed) {
        return generate(subscriptions, vmsPerSubscription, nonCompliantFraction, seed, COMPACT);
    }

    static Estate generate(int subscriptions, int vmsPerSubscription, double nonCompliantFraction, long seed,
                           Shape shape) {
        final int cells = shape.cells();
        if (subscriptions < 1 || vmsPerSubscription < 0 || nonCompliantFraction < 0 || nonCompliantFraction > 1) {
            throw new EstateException("synthetic: need subscriptions >= 1, vmsPerSubscription >= 0 and"
                    + " 0 <= nonCompliantFraction <= 1; got " + subscriptions + ", " + vmsPerSubscription + ", "
                    + nonCompliantFraction);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Estate.Subscription> subs = new ArrayList<>(subscriptions);
        List<ObjectNode> resources = new ArrayList<>(subscriptions * (vmsPerSubscription * 2 + 4 * cells + 2));
        for (int s = 0; s < subscriptions; s++) {
            String subId = subscriptionId(s);
            String sub = "/subscriptions/" + subId;
            List<Estate.ResourceGroup> groups = new ArrayList<>();
            ObjectNode[] policies = new ObjectNode[cells];
            String[] subnetIds = new String[cells];
            String[] nsgIds = new String[cells];
            for (int g = 0; g < cells; g++) {
                String rg = "rg-app-" + shape.group(g);
                String loc = shape.location(g);
                if (g % shape.locationsPerGroup() == 0) {
                    groups.add(new Estate.ResourceGroup(rg, loc, Map.of()));
                }
                String rgId = sub + "/resourceGroups/" + rg;
                nsgIds[g] = rgId + "/providers/Microsoft.Network/networkSecurityGroups/nsg-" + g;
                ObjectNode nsg = resource(nsgIds[g], "nsg-" + g, "Microsoft.Network/networkSecurityGroups", loc);
                ArrayNode rules = nsg.putObject("properties").putArray("securityRules");
                // Defender's deny rules for the ports of the covered VMs (one per port, any destination)
                int priority = 4096;
                for (int port : new int[] {22, 3389}) {
                    String name = "MicrosoftDefenderForCloud-JITRule_-" + (1000 + g * 10 + port % 7) + "_"
                            + String.format("%032X", port);
                    ObjectNode rule = rules.addObject();
                    rule.put("id", nsgIds[g] + "/securityRules/" + name);
                    rule.put("name", name);
                    ObjectNode rp = rule.putObject("properties");
                    rp.put("protocol", "*").put("sourcePortRange", "*").put("destinationPortRange", String.valueOf(port))
                            .put("sourceAddressPrefix", "*").put("destinationAddressPrefix", "*").put("access", "Deny")
                            .put("priority", priority--).put("direction", "Inbound");
                }
                resources.add(nsg);
                String vnetId = rgId + "/providers/Microsoft.Network/virtualNetworks/vnet-" + g;
                subnetIds[g] = vnetId + "/subnets/snet-" + g;
                ObjectNode vnet = resource(vnetId, "vnet-" + g, "Microsoft.Network/virtualNetworks", loc);
                ObjectNode vp = vnet.putObject("properties");
                vp.putObject("addressSpace").putArray("addressPrefixes").add("10." + g + ".0.0/16");
                ObjectNode sn = vp.putArray("subnets").addObject();
                sn.put("id", subnetIds[g]);
                sn.put("name", "snet-" + g);
                ObjectNode snp = sn.putObject("properties");
                snp.put("addressPrefix", "10." + g + ".0.0/16");
                snp.putObject("networkSecurityGroup").put("id", nsgIds[g]);
                resources.add(vnet);
                ObjectNode policy = resource(rgId + "/providers/Microsoft.Security/locations/" + loc
                        + "/jitNetworkAccessPolicies/default", "default", ArmEmulator.JIT_TYPE, null);
                policy.put("kind", "Basic");
                policy.put("location", loc);
                ObjectNode pp = policy.putObject("properties");
                pp.putArray("virtualMachines");
                pp.put("provisioningState", "Succeeded");
                policies[g] = policy;
            }
            for (int v = 0; v < vmsPerSubscription; v++) {
                int g = v % cells;
                String loc = shape.location(g);
                String rgId = sub + "/resourceGroups/rg-app-" + shape.group(g);
                String name = String.format("vm-%05d", v);
                String vmId = rgId + "/providers/Microsoft.Compute/virtualMachines/" + name;
                String nicId = rgId + "/providers/Microsoft.Network/networkInterfaces/" + name + "-nic";
                ObjectNode vm = resource(vmId, name, ArmEmulator.VM_TYPE, loc);
                ObjectNode p = vm.putObject("properties");
                p.putObject("hardwareProfile").put("vmSize", "Standard_B2s");
                p.putObject("storageProfile").putObject("osDisk").put("osType", v % 3 == 0 ? "Windows" : "Linux");
                ObjectNode ref = p.putObject("networkProfile").putArray("networkInterfaces").addObject();
                ref.put("id", nicId);
                ref.putObject("properties").put("primary", true);
                resources.add(vm);
                ObjectNode nic = resource(nicId, name + "-nic", "Microsoft.Network/networkInterfaces", loc);
                ObjectNode np = nic.putObject("properties");
                ObjectNode ipc = np.putArray("ipConfigurations").addObject();
                ipc.put("name", "ipconfig1");
                ObjectNode ipp = ipc.putObject("properties");
                ipp.putObject("subnet").put("id", subnetIds[g]);
                ipp.put("privateIPAddress", "10." + g + "." + (v / cells / 250) % 250 + "." + (v / cells % 250 + 4));
                ipp.put("primary", true);
                np.putObject("virtualMachine").put("id", vmId);
                np.putObject("networkSecurityGroup").put("id", nsgIds[g]);
                resources.add(nic);
                if (random.nextDouble() >= nonCompliantFraction) {
                    ObjectNode entry = ((ArrayNode) policies[g].get("properties").get("virtualMachines")).addObject();
                    entry.put("id", vmId);
                    ArrayNode ports = entry.putArray("ports");
                    for (int port : new int[] {22, 3389}) {
                        ObjectNode pr = ports.addObject();
                        pr.put("number", port);
                        pr.put("protocol", "*");
                        pr.put("allowedSourceAddressPrefix", "*");
                        pr.put("maxRequestAccessDuration", "PT3H");
                    }
                }
            }
            for (ObjectNode policy : policies) {
                if (!policy.get("properties").get("virtualMachines").isEmpty()) {
                    resources.add(policy);
                }
            }
            ObjectNode pricing = resource(DefenderPlans.vmPricingId(subId), "VirtualMachines", ArmEmulator.PRICING_TYPE, null);
            pricing.putObject("properties").put("pricingTier", "Standard").put("subPlan", "P2");
            resources.add(pricing);
            ObjectNode a = resource(sub + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn",
                    "SecurityCenterBuiltIn", ArmEmulator.ASSIGNMENT_TYPE, null);
            ObjectNode ap = a.putObject("properties");
            ap.put("displayName", "ASC Default (subscription: " + subId + ")");
            ap.put("policyDefinitionId",
                    "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8");
            ap.put("scope", sub);
            ap.putArray("notScopes");
            ap.putObject("parameters").putObject("jitNetworkAccessMonitoringEffect").put("value", "AuditIfNotExists");
            ap.put("enforcementMode", "Default");
            resources.add(a);
            subs.add(new Estate.Subscription(subId, "synthetic-" + (s + 1), "Enabled", List.copyOf(groups)));
        }
        return Estate.of(TENANT, 1000, subs, resources);
    }

    private static ObjectNode resource(String id, String name, String type, String location) {
        ObjectNode r = N.objectNode();
        r.put("id", id);
        r.put("name", name);
        r.put("type", type);
        if (location != null) {
            r.put("location", location);
        }
        return r;
    }
}
