package io.jitguard.model;

import java.util.List;

/**
 * One IP configuration of a NIC ({@code properties.ipConfigurations[]}): what an NSG rule's destination is compared
 * with.
 *
 * @param privateIp {@code properties.privateIPAddress} (IPv4 or IPv6); null when ARM gave none
 * @param subnetId  {@code properties.subnet.id}; null when none
 * @param publicIp  true when it has {@code properties.publicIPAddress}
 * @param asgIds    {@code properties.applicationSecurityGroups[].id}
 */
public record IpConfiguration(String privateIp, String subnetId, boolean publicIp, List<String> asgIds) {
    public IpConfiguration {
        asgIds = asgIds == null ? List.of() : List.copyOf(asgIds);
    }
}
