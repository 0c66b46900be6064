package io.jitguard.model;

import java.util.List;

/** An Azure Firewall and the subnets (AzureFirewallSubnet) its IP configurations sit in. */
public record Firewall(String id, List<String> subnetIds) {
    public Firewall {
        subnetIds = List.copyOf(subnetIds);
    }
}
