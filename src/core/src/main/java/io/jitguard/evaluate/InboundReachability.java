package io.jitguard.evaluate;

import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.SecurityRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether traffic from a wide source (the Internet) reaches a port of a VM through its NSGs, evaluated the way Azure
 * does: for inbound traffic the subnet's NSG is evaluated, then the NIC's; traffic passes only if every NSG on the
 * path allows it; within one NSG the matching rule with the lowest priority number decides, default rules included.
 *
 * <p>A rule matches Internet traffic when its source is {@code *}, {@code Internet}, a public-cloud tag, or a prefix
 * at least as wide as {@code widestAllowedPrefixLength} (e.g. {@code 0.0.0.0/0}, {@code ::/0}, or a /6 when the limit
 * is /8) outside the private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). A source of application security groups, {@code VirtualNetwork}, {@code AzureLoadBalancer} or a narrower
 * prefix never matches Internet traffic. A destination of application security groups matches only when the VM's NIC
 * is a member; any destination prefix is taken to include the VM (its private address is not read): when in doubt,
 * this reports reachability rather than hide it.
 */
public final class InboundReachability {
    /** Service tags that stand for the whole Internet or every public cloud address (anyone can rent one). */
    private static final Set<String> WIDE_TAGS = Set.of("*", "any", "internet", "azurecloud");

    private InboundReachability() {
    }

    /** The deciding rule of one NSG for Internet traffic to {@code port}/{@code protocol}, if any rule matches. */
    public record Decision(NetworkSecurityGroup nsg, SecurityRule rule) {
        public boolean allows() {
            return rule.allows();
        }
    }

    /**
     * The path's verdict: reachable when every NSG's deciding rule allows; {@code decisions} holds each NSG's deciding
     * rule in path order (subnet first, then NIC).
     */
    public record Verdict(boolean reachable, List<Decision> decisions) {
        /** The allow rules that let the traffic in (one per NSG on the path) when reachable. */
        public List<Decision> allowing() {
            return reachable ? decisions : List.of();
        }

        /** The first NSG that stops the traffic, when not reachable. */
        public Optional<Decision> stoppedBy() {
            return decisions.stream().filter(d -> !d.allows()).findFirst();
        }
    }

    /**
     * @param path                     the NSGs on the way in, subnet's first; empty means no NSG (not protected)
     * @param nicAsgIds                application security groups the VM's NIC belongs to
     * @param port                     destination port
     * @param protocol                 {@code Tcp} or {@code Udp}
     * @param widestAllowedPrefixLength a source prefix of this length or shorter counts as wide (e.g. 8)
     */
    public static Verdict inbound(List<NetworkSecurityGroup> path, Set<String> nicAsgIds, int port, String protocol,
                                  int widestAllowedPrefixLength) {
        return inbound(path, nicAsgIds, port, protocol, widestAllowedPrefixLength, new NsgMemo());
    }

    /** {@link #inbound(List, Set, int, String, int)} with each NSG's deciding rule taken from {@code memo}. */
    static Verdict inbound(List<NetworkSecurityGroup> path, Set<String> nicAsgIds, int port, String protocol,
                           int widestAllowedPrefixLength, NsgMemo memo) {
        List<Decision> decisions = new ArrayList<>();
        boolean reachable = !path.isEmpty();
        for (NetworkSecurityGroup nsg : path) {
            Optional<SecurityRule> deciding = memo.deciding(nsg, nicAsgIds, port, protocol, widestAllowedPrefixLength);
            if (deciding.isEmpty()) {
                // ARM always adds DenyAllInBound; an NSG read without it still must not let anything in
                reachable = false;
                continue;
            }
            decisions.add(new Decision(nsg, deciding.get()));
            reachable &= deciding.get().allows();
        }
        return new Verdict(reachable, List.copyOf(decisions));
    }

    static Optional<SecurityRule> deciding(NetworkSecurityGroup nsg, Set<String> nicAsgIds, int port, String protocol,
                                           int widest) {
        List<SecurityRule> all = new ArrayList<>(nsg.rules());
        all.addAll(nsg.defaultRules());
        return all.stream()
                .filter(SecurityRule::inbound)
                .filter(r -> protocolMatches(r.protocol(), protocol))
                .filter(r -> portMatches(r.destinationPortRanges(), port))
                .filter(r -> wideSource(r, widest))
                .filter(r -> destinationMatches(r, nicAsgIds))
                .min(Comparator.comparingInt(SecurityRule::priority));
    }

    static boolean protocolMatches(String ruleProtocol, String protocol) {
        return ruleProtocol == null || ruleProtocol.equals("*") || ruleProtocol.equalsIgnoreCase(protocol);
    }

    static boolean portMatches(List<String> ranges, int port) {
        for (String raw : ranges) {
            String r = raw.strip();
            if (r.equals("*")) {
                return true;
            }
            int dash = r.indexOf('-');
            try {
                if (dash < 0 ? Integer.parseInt(r) == port
                        : Integer.parseInt(r.substring(0, dash).strip()) <= port
                        && port <= Integer.parseInt(r.substring(dash + 1).strip())) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // not a port or range ARM would accept: it matches nothing
            }
        }
        return false;
    }

    /** True when the rule's source includes Internet addresses (see the class comment). */
    public static boolean wideSource(SecurityRule rule, int widest) {
        return rule.sourcePrefixes().stream().anyMatch(p -> wide(p, widest));
    }

    /** A source prefix or tag that includes Internet addresses. */
    public static boolean wide(String prefix, int widest) {
        String p = prefix.strip().toLowerCase(Locale.ROOT);
        if (WIDE_TAGS.contains(p) || p.startsWith("azurecloud.")) {
            return true;
        }
        int slash = p.indexOf('/');
        if (slash < 0) {
            return false;
        }
        try {
            int length = Integer.parseInt(p.substring(slash + 1));
            return length <= widest && !privateRange(p.substring(0, slash));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** RFC 1918, shared address space (RFC 6598) and IPv6 unique-local addresses are not the Internet. */
    private static boolean privateRange(String address) {
        if (address.contains(":")) {
            return address.startsWith("fc") || address.startsWith("fd");
        }
        String[] o = address.split("\\.");
        if (o.length != 4) {
            return false;
        }
        try {
            int a = Integer.parseInt(o[0]);
            int b = Integer.parseInt(o[1]);
            return a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) || (a == 100 && b >= 64 && b <= 127);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean destinationMatches(SecurityRule rule, Set<String> nicAsgIds) {
        if (!rule.destinationAsgIds().isEmpty()) {
            return rule.destinationAsgIds().stream().anyMatch(id -> nicAsgIds.stream().anyMatch(id::equalsIgnoreCase));
        }
        return true;
    }
}
