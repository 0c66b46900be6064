package io.jitguard.model;

import java.util.List;

/**
 * A network interface: its own NSG (null when none) and the subnets of its IP configurations.
 *
 * @param publicIp true when an IP configuration has {@code properties.publicIPAddress}
 * @param asgIds   application security groups of its IP configurations
 *                 ({@code ipConfigurations[].properties.applicationSecurityGroups[].id})
 */
public record Nic(String id, String nsgId, List<String> subnetIds, boolean publicIp, List<String> asgIds) {
    public Nic {
        subnetIds = List.copyOf(subnetIds);
        asgIds = asgIds == null ? List.of() : List.copyOf(asgIds);
    }

    /** A NIC without a public IP and without application security groups. */
    public Nic(String id, String nsgId, List<String> subnetIds) {
        this(id, nsgId, subnetIds, false, List.of());
    }
}
