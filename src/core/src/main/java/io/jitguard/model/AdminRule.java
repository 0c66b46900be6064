package io.jitguard.model;

import java.util.List;

/**
 * An Azure Virtual Network Manager security admin rule in effect on a virtual network
 * ({@code listNetworkManagerEffectiveSecurityAdminRules}, Microsoft.Network 2024-05-01), evaluated before NSGs.
 *
 * @param id                    the rule's resource id (…/securityAdminConfigurations/{c}/ruleCollections/{rc}/rules/{r})
 * @param access                {@code Allow}, {@code AlwaysAllow} or {@code Deny}
 * @param direction             {@code Inbound} or {@code Outbound}
 * @param protocol              {@code Tcp}, {@code Udp}, {@code Icmp}, {@code Esp}, {@code Ah} or {@code Any}
 * @param sources               {@code sources[].addressPrefix}: a prefix or a service tag
 * @param destinations          {@code destinations[].addressPrefix}
 * @param destinationPortRanges {@code 22}, {@code 1000-2000}; empty or {@code *} for every port
 */
public record AdminRule(String id, String name, int priority, String access, String direction, String protocol,
                        List<String> sources, List<String> destinations, List<String> destinationPortRanges) {
    public AdminRule {
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
        destinationPortRanges = List.copyOf(destinationPortRanges);
    }

    public boolean inbound() {
        return "Inbound".equalsIgnoreCase(direction);
    }
}
