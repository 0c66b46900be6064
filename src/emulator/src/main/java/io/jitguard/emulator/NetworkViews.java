package io.jitguard.emulator;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft.Network read views (2024-05-01): an NSG as ARM returns it, with the six {@code defaultSecurityRules} and
 * the read-only {@code subnets} / {@code networkInterfaces} back-references computed from the VNets and NICs that
 * point at it (ARM returns them as {@code [{"id": …}]}).
 */
final class NetworkViews {
    /** name, direction, priority, source, destination, access, description — NetworkSecurityGroupCreate.json. */
    private static final List<String[]> DEFAULT_RULES = List.of(
            new String[] {"AllowVnetInBound", "Inbound", "65000", "VirtualNetwork", "VirtualNetwork", "Allow",
                    "Allow inbound traffic from all VMs in VNET"},
            new String[] {"AllowAzureLoadBalancerInBound", "Inbound", "65001", "AzureLoadBalancer", "*", "Allow",
                    "Allow inbound traffic from azure load balancer"},
            new String[] {"DenyAllInBound", "Inbound", "65500", "*", "*", "Deny", "Deny all inbound traffic"},
            new String[] {"AllowVnetOutBound", "Outbound", "65000", "VirtualNetwork", "VirtualNetwork", "Allow",
                    "Allow outbound traffic from all VMs to all VMs in VNET"},
            new String[] {"AllowInternetOutBound", "Outbound", "65001", "*", "Internet", "Allow",
                    "Allow outbound traffic from all VMs to Internet"},
            new String[] {"DenyAllOutBound", "Outbound", "65500", "*", "*", "Deny", "Deny all outbound traffic"});

    private NetworkViews() {
    }

    static ObjectNode nsg(ResourceStore store, ObjectNode stored) {
        ObjectNode out = stored.deepCopy();
        String id = out.path("id").asText();
        ObjectNode p = out.with("properties");
        if (!p.has("securityRules")) {
            p.putArray("securityRules");
        }
        p.set("defaultSecurityRules", defaultRules(id));
        String sub = "/subscriptions/" + ArmId.parse(id).subscription();
        ArrayNode subnets = ArmHttp.NODES.arrayNode();
        for (ObjectNode vnet : store.list("Microsoft.Network/virtualNetworks", sub, null)) {
            for (JsonNode sn : vnet.path("properties").path("subnets")) {
                if (sn.path("properties").path("networkSecurityGroup").path("id").asText().equalsIgnoreCase(id)) {
                    subnets.addObject().put("id", sn.path("id").asText());
                }
            }
        }
        ArrayNode nics = ArmHttp.NODES.arrayNode();
        for (ObjectNode nic : store.list("Microsoft.Network/networkInterfaces", sub, null)) {
            if (nic.path("properties").path("networkSecurityGroup").path("id").asText().equalsIgnoreCase(id)) {
                nics.addObject().put("id", nic.path("id").asText());
            }
        }
        p.remove("subnets");
        p.remove("networkInterfaces");
        if (!subnets.isEmpty()) {
            p.set("subnets", subnets);
        }
        if (!nics.isEmpty()) {
            p.set("networkInterfaces", nics);
        }
        if (!p.has("provisioningState")) {
            p.put("provisioningState", "Succeeded");
        }
        return out;
    }

    static ArrayNode defaultRules(String nsgId) {
        ArrayNode a = ArmHttp.NODES.arrayNode();
        for (String[] d : DEFAULT_RULES) {
            ObjectNode r = a.addObject();
            r.put("name", d[0]);
            r.put("id", nsgId + "/defaultSecurityRules/" + d[0]);
            r.put("type", "Microsoft.Network/networkSecurityGroups/defaultSecurityRules");
            ObjectNode p = r.putObject("properties");
            p.put("provisioningState", "Succeeded");
            p.put("description", d[6]);
            p.put("protocol", "*");
            p.put("sourcePortRange", "*");
            p.put("destinationPortRange", "*");
            p.put("sourceAddressPrefix", d[3]);
            p.put("destinationAddressPrefix", d[4]);
            p.put("access", d[5]);
            p.put("priority", Integer.parseInt(d[2]));
            p.put("direction", d[1]);
            p.putArray("sourcePortRanges");
            p.putArray("destinationPortRanges");
            p.putArray("sourceAddressPrefixes");
            p.putArray("destinationAddressPrefixes");
        }
        return a;
    }
}
