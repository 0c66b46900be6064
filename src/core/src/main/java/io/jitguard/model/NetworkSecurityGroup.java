package io.jitguard.model;

import java.util.List;

/** A network security group: its own rules and the six default rules ARM adds to every NSG. */
public record NetworkSecurityGroup(String id, List<SecurityRule> rules, List<SecurityRule> defaultRules) {
    public NetworkSecurityGroup {
        rules = List.copyOf(rules);
        defaultRules = List.copyOf(defaultRules);
    }

    public String name() {
        return id.substring(id.lastIndexOf('/') + 1);
    }
}
