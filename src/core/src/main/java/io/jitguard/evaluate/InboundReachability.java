package io.jitguard.evaluate;

import io.jitguard.model.AdminRule;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.SecurityRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which sources reach one private address of a VM on one port and protocol, decided the way Azure does for inbound
 * traffic: Azure Virtual Network Manager security admin rules first ({@code AlwaysAllow} lets a source in past every
 * NSG, {@code Deny} stops it, {@code Allow} hands it on), then the subnet's NSG and the NIC's NSG, each of which must
 * allow it. Within a rule list the first rule by priority that matches a packet decides for it: a rule takes the
 * sources it names out of the undecided ones, so a deny of {@code 1.0.0.0/8} above an allow of {@code Internet}
 * leaves the rest of the Internet allowed. A rule matches on protocol, destination port and destination — its
 * prefixes, {@code *}, {@code VirtualNetwork} or the application security groups of the address's IP configuration.
 *
 * <p>Where a name's addresses are unknown the answer errs towards reachability: an allow rule whose destination is a
 * service tag other than {@code VirtualNetwork} / {@code Internet} is taken to match, a deny rule with it is not; an
 * allow from {@code AzureCloud*} counts as the whole Internet (anyone can rent such an address), a deny from it blocks
 * nothing; when the VM's private address was not read, a destination prefix matches allow rules only.
 */
public final class InboundReachability {
    private InboundReachability() {
    }

    /** The destination: one private address (null when not read) and its IP configuration's ASGs (lower case). */
    public record Target(AddressSet address, Set<String> asgIds) {
        public Target {
            asgIds = Set.copyOf(asgIds);
        }
    }

    /**
     * A rule that lets {@code sources} in.
     *
     * @param where    the NSG's id, or for an admin rule its rule collection's id
     * @param jitRule  a Defender JIT rule (its allow rules are approved requests)
     * @param admin    an AVNM {@code AlwaysAllow} admin rule
     */
    public record Grant(String where, String rule, int priority, List<String> ruleSources, boolean jitRule,
                        boolean admin, SourceSet sources) {
        public String whereName() {
            return where.substring(where.lastIndexOf('/') + 1);
        }
    }

    /**
     * The path's answer for one target, port and protocol.
     *
     * @param reach   every source that reaches
     * @param always  admin {@code AlwaysAllow} rules and what they let in
     * @param nsgs    per NSG on the path (subnet's first), its allow rules and what each let in
     * @param jitDeny a Defender JIT deny rule for this port whose destination holds the target
     */
    public record Verdict(SourceSet reach, List<Grant> always, List<List<Grant>> nsgs, boolean jitDeny) {
        /** Sources let in by Defender's JIT allow rules (approved requests) on the path. */
        public SourceSet openedByJit() {
            SourceSet s = SourceSet.NONE;
            for (List<Grant> grants : nsgs) {
                for (Grant g : grants) {
                    if (g.jitRule()) {
                        s = s.union(g.sources());
                    }
                }
            }
            return s;
        }

        /** The rule that lets most of {@code of} in: an {@code AlwaysAllow} admin rule, else the last NSG's. */
        public Optional<Grant> mainGrant(AddressSet of) {
            Optional<Grant> admin = largest(always, of);
            if (admin.isPresent()) {
                return admin;
            }
            return nsgs.isEmpty() ? Optional.empty() : largest(nsgs.get(nsgs.size() - 1), of);
        }

        /** Per NSG on the path before the last, the rule that lets most of {@code of} in. */
        public List<Grant> upstreamGrants(AddressSet of) {
            List<Grant> out = new ArrayList<>();
            for (int i = 0; i + 1 < nsgs.size(); i++) {
                largest(nsgs.get(i), of).ifPresent(out::add);
            }
            return out;
        }

        private static Optional<Grant> largest(List<Grant> grants, AddressSet of) {
            Grant best = null;
            java.math.BigInteger most = java.math.BigInteger.ZERO;
            for (Grant g : grants) {
                java.math.BigInteger n = g.sources().addresses().intersection(of).size();
                if (n.compareTo(most) > 0) {
                    best = g;
                    most = n;
                }
            }
            return Optional.ofNullable(best);
        }
    }

    /**
     * @param admin the AVNM admin rules in effect on the address's virtual network
     * @param path  the NSGs on the way in, subnet's first; at least one
     */
    public static Verdict inbound(List<AdminRule> admin, List<NetworkSecurityGroup> path, Target target, int port,
                                  String protocol) {
        return inbound(admin, path, target, port, protocol, new NsgMemo());
    }

    static Verdict inbound(List<AdminRule> admin, List<NetworkSecurityGroup> path, Target target, int port,
                           String protocol, NsgMemo memo) {
        List<Grant> always = new ArrayList<>();
        SourceSet passing = adminPass(admin, target, port, protocol, always);
        List<List<Grant>> perNsg = new ArrayList<>();
        boolean jitDeny = false;
        for (NetworkSecurityGroup nsg : path) {
            NsgMemo.RuleIndex index = memo.index(nsg, port, protocol);
            List<Grant> grants = new ArrayList<>();
            SourceSet allowed = SourceSet.NONE;
            SourceSet undecided = SourceSet.EVERYTHING;
            for (NsgMemo.ParsedRule p : index.candidates(target.address())) {
                SecurityRule r = p.rule();
                boolean jitDenyRule = !p.allows() && p.jitRule();
                if (jitDenyRule && target.address() == null) {
                    jitDeny = true; // the address was not read: any of Defender's deny rules for the port counts
                }
                if (!p.destination().matches(target, p.allows())) {
                    continue;
                }
                jitDeny |= jitDenyRule;
                if (undecided.isEmpty()) {
                    continue; // decided for every source; still looking for this target's JIT deny rule
                }
                SourceSet matched = undecided.intersection(p.sources());
                if (matched.isEmpty()) {
                    continue;
                }
                if (p.allows()) {
                    grants.add(new Grant(nsg.id(), r.name(), r.priority(), sourceText(r), p.jitRule(), false,
                            matched));
                    allowed = allowed.union(matched);
                }
                undecided = undecided.difference(matched);
            }
            perNsg.add(List.copyOf(grants));
            passing = passing.intersection(allowed);
        }
        SourceSet reach = passing;
        for (Grant g : always) {
            reach = reach.union(g.sources());
        }
        return new Verdict(reach, List.copyOf(always), List.copyOf(perNsg), jitDeny);
    }

    /** Admin rules in priority order: fills {@code always}; returns the sources handed on to the NSGs. */
    private static SourceSet adminPass(List<AdminRule> admin, Target target, int port, String protocol,
                                       List<Grant> always) {
        if (admin.isEmpty()) {
            return SourceSet.EVERYTHING;
        }
        SourceSet undecided = SourceSet.EVERYTHING;
        SourceSet handedOn = SourceSet.NONE;
        List<AdminRule> sorted = admin.stream().filter(AdminRule::inbound)
                .filter(r -> protocolMatches(r.protocol(), protocol))
                .filter(r -> r.destinationPortRanges().isEmpty() || portMatches(r.destinationPortRanges(), port))
                .sorted(java.util.Comparator.comparingInt(AdminRule::priority)).toList();
        for (AdminRule r : sorted) {
            String access = r.access() == null ? "" : r.access().toLowerCase(Locale.ROOT);
            boolean lets = !access.equals("deny");
            if (!r.destinations().isEmpty() && !destinationMatches(r.destinations(), List.of(), target, lets)) {
                continue;
            }
            SourceSet matched = undecided.intersection(r.sources().isEmpty() ? (lets ? SourceSet.EVERYTHING
                    : SourceSet.NONE) : sources(r.sources(), List.of(), lets));
            if (matched.isEmpty()) {
                continue;
            }
            if (access.equals("alwaysallow")) {
                String id = r.id() == null ? "" : r.id();
                int cut = id.toLowerCase(Locale.ROOT).lastIndexOf("/rules/");
                always.add(new Grant(cut < 0 ? id : id.substring(0, cut), r.name(), r.priority(), r.sources(), false,
                        true, matched));
            } else if (access.equals("allow")) {
                handedOn = handedOn.union(matched);
            }
            undecided = undecided.difference(matched);
        }
        return handedOn.union(undecided);
    }

    /** The sources a rule names; {@code allow} says which way to err where a name's addresses are unknown. */
    static SourceSet sources(List<String> prefixes, List<String> asgIds, boolean allow) {
        if (prefixes.isEmpty() && asgIds.isEmpty()) {
            return allow ? SourceSet.EVERYTHING : SourceSet.NONE;
        }
        SourceSet s = SourceSet.NONE;
        for (String raw : prefixes) {
            s = s.union(source(raw, allow));
        }
        for (String asg : asgIds) {
            s = s.union(SourceSet.named("asg:" + asg.substring(asg.lastIndexOf('/') + 1)));
        }
        return s;
    }

    private static SourceSet source(String raw, boolean allow) {
        String p = raw.strip().toLowerCase(Locale.ROOT);
        if (p.equals("*") || p.equals("any")) {
            return SourceSet.EVERYTHING;
        }
        if (p.equals("internet")) {
            return SourceSet.of(AddressSet.PUBLIC);
        }
        if (p.equals("azurecloud") || p.startsWith("azurecloud.")) {
            return allow ? SourceSet.of(AddressSet.PUBLIC) : SourceSet.NONE;
        }
        Optional<AddressSet> prefix = AddressSet.parse(raw);
        return prefix.map(SourceSet::of).orElseGet(() -> SourceSet.named(raw));
    }

    static boolean destinationMatches(List<String> prefixes, List<String> asgIds, Target target, boolean allow) {
        return Destination.of(prefixes, asgIds).matches(target, allow);
    }

    /** A rule's destination, parsed once: its ASGs (lower case) or its prefixes. */
    record Destination(List<String> asgIds, List<Prefix> prefixes) {
        static Destination of(List<String> prefixes, List<String> asgIds) {
            return new Destination(asgIds.stream().map(id -> id.toLowerCase(Locale.ROOT)).toList(),
                    prefixes.stream().map(Prefix::of).toList());
        }

        boolean matches(Target target, boolean allow) {
            if (!asgIds.isEmpty()) {
                return asgIds.stream().anyMatch(target.asgIds()::contains);
            }
            if (prefixes.isEmpty()) {
                return true;
            }
            for (Prefix p : prefixes) {
                if (p.any()) {
                    return true;
                }
                if (target.address() == null) {
                    if (allow) {
                        return true;
                    }
                    continue;
                }
                if (p.addresses() != null) {
                    if (p.addresses().containsAll(target.address())) {
                        return true;
                    }
                } else if (p.internet()) {
                    if (AddressSet.PUBLIC.containsAll(target.address())) {
                        return true;
                    }
                } else if (allow) {
                    return true; // another service tag: its addresses are unknown here
                }
            }
            return false;
        }
    }

    /**
     * One destination prefix: {@code any} for {@code *}, {@code Any} and {@code VirtualNetwork}; else its addresses
     * (null for a service tag), and whether it is the {@code Internet} tag.
     */
    record Prefix(boolean any, AddressSet addresses, boolean internet) {
        static Prefix of(String raw) {
            String p = raw.strip().toLowerCase(Locale.ROOT);
            if (p.equals("*") || p.equals("any") || p.equals("virtualnetwork")) {
                return new Prefix(true, null, false);
            }
            return new Prefix(false, AddressSet.parse(raw).orElse(null), p.equals("internet"));
        }
    }

    static boolean protocolMatches(String ruleProtocol, String protocol) {
        return ruleProtocol == null || ruleProtocol.equals("*") || ruleProtocol.equalsIgnoreCase("Any")
                || ruleProtocol.equalsIgnoreCase(protocol);
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

    private static List<String> sourceText(SecurityRule r) {
        List<String> out = new ArrayList<>(r.sourcePrefixes());
        r.sourceAsgIds().forEach(a -> out.add(a.substring(a.lastIndexOf('/') + 1)));
        return out;
    }
}
