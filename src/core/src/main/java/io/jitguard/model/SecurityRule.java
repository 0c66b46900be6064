package io.jitguard.model;

import java.util.List;

/**
 * One rule of a network security group, as ARM returns it ({@code securityRules[]} or {@code defaultSecurityRules[]},
 * Microsoft.Network 2024-05-01). The singular and plural forms of prefixes and port ranges are merged into lists.
 *
 * @param protocol               {@code Tcp}, {@code Udp}, {@code Icmp}, {@code Esp}, {@code Ah} or {@code *}
 * @param sourcePrefixes         addresses, CIDRs or service tags ({@code *}, {@code Internet}, {@code VirtualNetwork} …)
 * @param sourceAsgIds           application security groups as source
 * @param destinationPortRanges  {@code 22}, {@code 1000-2000} or {@code *}
 * @param destinationAsgIds      application security groups as destination
 */
public record SecurityRule(String name, int priority, String direction, String access, String protocol,
                           List<String> sourcePrefixes, List<String> sourceAsgIds, List<String> destinationPortRanges,
                           List<String> destinationPrefixes, List<String> destinationAsgIds, String description) {
    public SecurityRule {
        sourcePrefixes = List.copyOf(sourcePrefixes);
        sourceAsgIds = List.copyOf(sourceAsgIds);
        destinationPortRanges = List.copyOf(destinationPortRanges);
        destinationPrefixes = List.copyOf(destinationPrefixes);
        destinationAsgIds = List.copyOf(destinationAsgIds);
        description = description == null ? "" : description;
    }

    public boolean inbound() {
        return "Inbound".equalsIgnoreCase(direction);
    }

    public boolean allows() {
        return "Allow".equalsIgnoreCase(access);
    }

    /** A rule Defender for Cloud wrote for JIT ({@code MicrosoftDefenderForCloud-JITRule…}, formerly {@code SecurityCenter-JITRule…}). */
    public boolean isDefenderJitRule() {
        String n = name == null ? "" : name;
        return n.startsWith("MicrosoftDefenderForCloud-JITRule") || n.startsWith("SecurityCenter-JITRule");
    }
}
