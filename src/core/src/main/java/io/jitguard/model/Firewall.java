package io.jitguard.model;

import java.util.List;

/**
 * An Azure Firewall and the subnets (AzureFirewallSubnet) its IP configurations sit in.
 *
 * @param firewallPolicyId {@code properties.firewallPolicy.id} (Firewall Manager), null when none
 * @param skuName          {@code properties.sku.name} ({@code AZFW_VNet} or {@code AZFW_Hub}), null when absent
 * @param virtualHubId     {@code properties.virtualHub.id} (a secured hub), null when none
 */
public record Firewall(String id, List<String> subnetIds, String firewallPolicyId, String skuName,
                       String virtualHubId) {
    public Firewall {
        subnetIds = List.copyOf(subnetIds);
    }

    /** A classic-rules firewall in a virtual network. */
    public Firewall(String id, List<String> subnetIds) {
        this(id, subnetIds, null, null, null);
    }
}
