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

    /**
     * True for a firewall with Rules (Classic) in a virtual network. One managed by Firewall Manager (a
     * {@code firewallPolicy}, a hub SKU {@code AZFW_Hub} or a {@code virtualHub}) protects nothing for JIT.
     */
    public boolean supportsJit() {
        return blank(firewallPolicyId) && blank(virtualHubId) && (skuName == null || !skuName.equalsIgnoreCase("AZFW_Hub"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
