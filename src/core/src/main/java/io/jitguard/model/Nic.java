package io.jitguard.model;

import java.util.List;

/**
 * A network interface: its own NSG (null when none) and the subnets of its IP configurations.
 *
 * @param publicIp true when an IP configuration has {@code properties.publicIPAddress}
 * @param asgIds   application security groups of its IP configurations
 *                 ({@code ipConfigurations[].properties.applicationSecurityGroups[].id})
 * @param ipConfigurations each IP configuration with its private address (empty when not read)
 */
public record Nic(String id, String nsgId, List<String> subnetIds, boolean publicIp, List<String> asgIds,
                  List<IpConfiguration> ipConfigurations) {
    public Nic {
        subnetIds = List.copyOf(subnetIds);
        asgIds = asgIds == null ? List.of() : List.copyOf(asgIds);
        ipConfigurations = ipConfigurations == null ? List.of() : List.copyOf(ipConfigurations);
    }

    /** A NIC whose IP configurations (private addresses) were not read. */
    public Nic(String id, String nsgId, List<String> subnetIds, boolean publicIp, List<String> asgIds) {
        this(id, nsgId, subnetIds, publicIp, asgIds, List.of());
    }

    /** A NIC without a public IP and without application security groups. */
    public Nic(String id, String nsgId, List<String> subnetIds) {
        this(id, nsgId, subnetIds, false, List.of());
    }
}
