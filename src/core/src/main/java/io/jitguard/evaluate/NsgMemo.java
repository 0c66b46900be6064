package io.jitguard.evaluate;

import io.jitguard.model.ArmId;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.SameInstance;
import io.jitguard.model.SecurityRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One subscription's NSG answers, computed once: per NSG, port and protocol the inbound rules that can match, in
 * priority order ({@link RuleIndex}); per path, address and port the verdict. A subnet NSG shared by thousands of
 * VMs holds Defender's deny rules for each of them, each naming one VM's private address: those rules are indexed by
 * that address, so evaluating a VM reads the NSG's general rules and its own, never every other VM's — one pass per
 * NSG and port, linear in the estate. NSGs are told apart by id (case-insensitive): one instance holds the NSGs of
 * one read.
 */
public final class NsgMemo {
    private record IndexKey(String nsg, int port, String protocol) {
    }

    private record VerdictKey(List<String> path, String vnet, String adminProtocol, AddressSet address,
                              java.util.Set<String> asgs, int port, List<RuleIndex> indexes) {
    }

    /** A rule with what it names parsed once per index, not once per VM. */
    record ParsedRule(SecurityRule rule, boolean allows, boolean jitRule, InboundReachability.Destination destination,
                      SourceSet sources) {
        static ParsedRule of(SecurityRule r) {
            return new ParsedRule(r, r.allows(), r.isDefenderJitRule(),
                    InboundReachability.Destination.of(r.destinationPrefixes(), r.destinationAsgIds()),
                    InboundReachability.sources(r.sourcePrefixes(), r.sourceAsgIds(), r.allows()));
        }
    }

    /**
     * The inbound rules of one NSG that match a port and protocol (own and default rules), by priority: those whose
     * destination is only single addresses under each address, the others in {@code general}.
     */
    static final class RuleIndex {
        private final List<ParsedRule> general;
        private final Map<AddressSet, List<ParsedRule>> byHost;

        RuleIndex(NetworkSecurityGroup nsg, int port, String protocol) {
            List<SecurityRule> all = new ArrayList<>(nsg.rules());
            all.addAll(nsg.defaultRules());
            all.sort(Comparator.comparingInt(SecurityRule::priority));
            List<ParsedRule> general = new ArrayList<>();
            Map<AddressSet, List<ParsedRule>> byHost = new HashMap<>();
            for (SecurityRule r : all) {
                if (!r.inbound() || !InboundReachability.protocolMatches(r.protocol(), protocol)
                        || !InboundReachability.portMatches(r.destinationPortRanges(), port)) {
                    continue;
                }
                List<AddressSet> hosts = hosts(r);
                ParsedRule parsed = ParsedRule.of(r);
                if (hosts.isEmpty()) {
                    general.add(parsed);
                } else {
                    hosts.forEach(h -> byHost.computeIfAbsent(h, k -> new ArrayList<>()).add(parsed));
                }
            }
            this.general = List.copyOf(general);
            this.byHost = byHost;
        }

        /** The rules that can match {@code address} (null: not read, every rule), by priority. */
        List<ParsedRule> candidates(AddressSet address) {
            if (address == null) {
                List<ParsedRule> every = new ArrayList<>(general);
                byHost.values().forEach(every::addAll);
                every.sort(Comparator.comparingInt(p -> p.rule().priority()));
                return every.stream().distinct().toList();
            }
            List<ParsedRule> own = byHost.get(address);
            if (own == null) {
                return general;
            }
            return byPriority(general, own);
        }

        /** Both lists (each by priority) merged by priority, {@code first}'s rule first on a tie: a stable sort. */
        private static List<ParsedRule> byPriority(List<ParsedRule> first, List<ParsedRule> second) {
            List<ParsedRule> merged = new ArrayList<>(first.size() + second.size());
            int i = 0;
            int j = 0;
            while (i < first.size() || j < second.size()) {
                if (j >= second.size() || i < first.size()
                        && first.get(i).rule().priority() <= second.get(j).rule().priority()) {
                    merged.add(first.get(i++));
                } else {
                    merged.add(second.get(j++));
                }
            }
            return merged;
        }

        boolean sameRules(RuleIndex o) {
            return general.equals(o.general) && byHost.equals(o.byHost);
        }

        /** The single addresses a rule's destination names, or empty when it names anything else. */
        private static List<AddressSet> hosts(SecurityRule r) {
            if (!r.destinationAsgIds().isEmpty() || r.destinationPrefixes().isEmpty()) {
                return List.of();
            }
            List<AddressSet> out = new ArrayList<>();
            for (String p : r.destinationPrefixes()) {
                Optional<AddressSet> a = AddressSet.parse(p);
                if (a.isEmpty() || !a.get().size().equals(java.math.BigInteger.ONE)) {
                    return List.of();
                }
                out.add(a.get());
            }
            return out;
        }
    }

    /** By the NSG instance: hashing the record would hash every rule. */
    private final ConcurrentHashMap<SameInstance<NetworkSecurityGroup>, String> ids = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<IndexKey, RuleIndex> indexes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<VerdictKey, InboundReachability.Verdict> verdicts = new ConcurrentHashMap<>();

    /** The NSG's id key, lower-cased once per instance rather than once per VM, port and protocol. */
    private String id(NetworkSecurityGroup nsg) {
        return ids.computeIfAbsent(new SameInstance<>(nsg), i -> ArmId.key(i.instance().id()));
    }

    /** The NSG's rule index for a port and protocol; a protocol whose rules are the same as TCP's shares TCP's. */
    RuleIndex index(NetworkSecurityGroup nsg, int port, String protocol) {
        String id = id(nsg);
        return indexes.computeIfAbsent(new IndexKey(id, port, protocol.toLowerCase(java.util.Locale.ROOT)), k -> {
            RuleIndex built = new RuleIndex(nsg, port, protocol);
            if (!k.protocol().equals("tcp")) {
                RuleIndex tcp = indexes.get(new IndexKey(id, port, "tcp"));
                if (tcp != null && tcp.sameRules(built)) {
                    return tcp;
                }
            }
            return built;
        });
    }

    /** The path's verdict for one address and port, computed once per distinct rule lists. */
    InboundReachability.Verdict verdict(List<NetworkSecurityGroup> path, String vnet, boolean adminRules,
                                        InboundReachability.Target target, int port, String protocol,
                                        Supplier<InboundReachability.Verdict> compute) {
        List<RuleIndex> idx = new ArrayList<>(path.size());
        List<String> ids = new ArrayList<>(path.size());
        for (NetworkSecurityGroup n : path) {
            idx.add(index(n, port, protocol));
            ids.add(id(n));
        }
        VerdictKey key = new VerdictKey(ids, vnet,
                adminRules ? protocol.toLowerCase(java.util.Locale.ROOT) : "", target.address(), target.asgIds(), port,
                idx);
        return verdicts.computeIfAbsent(key, k -> compute.get());
    }
}
