package io.jitguard.model;

import java.util.List;

/** A network interface: its own NSG (null when none) and the subnets of its IP configurations. */
public record Nic(String id, String nsgId, List<String> subnetIds) {
    public Nic {
        subnetIds = List.copyOf(subnetIds);
    }
}
