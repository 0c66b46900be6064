package io.jitguard.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.model.AdminRule;
import io.jitguard.model.NetworkSecurityGroup;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * "Covered" is not "closed": an allow rule above Defender's JIT deny rule, or an NSG Defender never locked, leaves a
 * JIT-covered VM reachable. This finds, for each baseline port, which sources reach each private address of the VM
 * ({@link InboundReachability}, TCP and UDP): a public source is exposure; internal sources reaching a port without
 * this VM's own JIT deny rule are the "internal only" case. It only reports; jitguard never edits an NSG rule.
 */
public final class PortExposure {
    /** How many holes a block's description names before "and N more". */
    static final int HOLES_NAMED = 3;

    private PortExposure() {
    }

    public enum Severity { HIGH, MEDIUM, LOW }

    /**
     * One private address of the VM and how traffic reaches it.
     *
     * @param address  the IP configuration's private address; null when not read
     * @param vnet     the virtual network id (lower case) of its subnet, for the admin rules; null when unknown
     * @param admin    AVNM security admin rules in effect on that virtual network
     * @param path     its NSGs, subnet's first then the NIC's; at least one
     * @param publicIp true when its NIC has a public IP address
     */
    public record Endpoint(String nicId, AddressSet address, String vnet, List<AdminRule> admin,
                           List<NetworkSecurityGroup> path, Set<String> asgIds, boolean publicIp) {
    }

    /**
     * A baseline port a public source reaches.
     *
     * @param grant     the rule that lets most of it in (the NIC's NSG when both NSGs are on the path, or an AVNM
     *                  {@code AlwaysAllow} rule)
     * @param upstream  the rules of the NSGs before it on the path that let it in
     * @param block     the public sources that reach, e.g. {@code 0.0.0.0/0 minus 1.0.0.0/8}
     * @param addresses how many public addresses that is
     */
    public record Exposed(int port, String protocol, InboundReachability.Grant grant,
                          List<InboundReachability.Grant> upstream, String block, BigInteger addresses,
                          Severity severity) {
        /** e.g. {@code port 22 open from the Internet (0.0.0.0/0 minus 1.0.0.0/8): NSG nsg-web rule …}. */
        public String describe() {
            List<String> rules = new ArrayList<>();
            upstream.forEach(g -> rules.add(text(g)));
            rules.add(text(grant));
            return "port " + port + " open from the Internet (" + block + ", " + addresses + " addresses, " + protocol
                    + "): " + String.join(" and ", rules) + (severity == Severity.HIGH ? "; the VM has a public IP" : "");
        }

        private static String text(InboundReachability.Grant g) {
            return (g.admin() ? "AVNM admin rule collection " : "NSG ") + g.whereName() + " rule " + g.rule()
                    + " (priority " + g.priority() + ", source " + String.join(",", g.ruleSources()) + ")";
        }
    }

    /** A baseline port that no Defender JIT deny rule for this VM closes and that internal sources reach. */
    public record InternalOnly(int port, String nsgId, String sources) {
    }

    /**
     * What the VM's NSGs say, per baseline port.
     *
     * @param internal          ports without this VM's JIT deny rule that only internal sources reach
     * @param portsWithoutJitDeny ports with no Defender JIT deny rule for one of the VM's addresses on its paths
     */
    public record Result(List<Exposed> exposed, List<InternalOnly> internal, List<String> notes,
                         List<Integer> portsWithoutJitDeny) {
    }

    /** A port of a VM opened by an approved JIT request that has not ended yet. */
    public record ActiveRequest(String vmId, int port, Instant endTimeUtc) {
    }

    /** {@link #evaluate(String, List, List, List, NsgMemo)} with nothing shared. */
    public static Result evaluate(String vmId, List<Endpoint> endpoints, List<Integer> ports,
                                  List<ActiveRequest> active) {
        return evaluate(vmId, endpoints, ports, active, new NsgMemo());
    }

    /**
     * @param active JIT requests still open ({@link #activeRequests}); only those naming {@code vmId} count
     */
    static Result evaluate(String vmId, List<Endpoint> endpoints, List<Integer> ports, List<ActiveRequest> active,
                           NsgMemo memo) {
        List<Exposed> exposed = new ArrayList<>();
        List<InternalOnly> internal = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Integer> withoutDeny = new ArrayList<>();
        for (int port : ports) {
            Optional<ActiveRequest> request = active.stream()
                    .filter(r -> r.vmId().equalsIgnoreCase(vmId) && r.port() == port).findFirst();
            Exposed worst = null;
            boolean jitDeny = false;
            boolean openedByRequest = false;
            SourceSet inside = SourceSet.NONE;
            String insideNsg = null;
            for (Endpoint e : endpoints) {
                for (String protocol : List.of("Tcp", "Udp")) {
                    InboundReachability.Target target = new InboundReachability.Target(e.address(), e.asgIds());
                    InboundReachability.Verdict v = memo.verdict(e.path(), e.vnet(), !e.admin().isEmpty(), target,
                            port, protocol,
                            () -> InboundReachability.inbound(e.admin(), e.path(), target, port, protocol, memo));
                    jitDeny |= v.jitDeny();
                    if (v.reach().isEmpty()) {
                        continue; // closed to every source (the common case): nothing to describe
                    }
                    AddressSet publicReach = v.reach().addresses().intersection(AddressSet.PUBLIC);
                    if (request.isPresent()) {
                        AddressSet byRequest = v.openedByJit().addresses();
                        openedByRequest |= publicReach.intersects(byRequest);
                        publicReach = publicReach.difference(byRequest);
                    }
                    if (!publicReach.isEmpty()) {
                        Exposed candidate = exposed(port, protocol, v, publicReach, e.publicIp());
                        if (worst == null || candidate.severity().compareTo(worst.severity()) < 0
                                || candidate.addresses().compareTo(worst.addresses()) > 0
                                && candidate.severity() == worst.severity()) {
                            worst = candidate;
                        }
                    }
                    SourceSet in = new SourceSet(v.reach().addresses().intersection(AddressSet.NON_PUBLIC),
                            v.reach().allNamesBut(), v.reach().names());
                    if (!in.isEmpty() && insideNsg == null) {
                        insideNsg = e.path().get(e.path().size() - 1).id();
                    }
                    inside = inside.union(in);
                }
            }
            if (!jitDeny) {
                withoutDeny.add(port);
            }
            if (openedByRequest) {
                notes.add("port " + port + " is open for an approved JIT request until " + request.get().endTimeUtc()
                        + " (not exposure)");
            }
            if (worst != null) {
                exposed.add(worst);
            } else if (!jitDeny && !inside.isEmpty()) {
                internal.add(new InternalOnly(port, insideNsg, internalSources(inside)));
            }
        }
        return new Result(List.copyOf(exposed), List.copyOf(internal), List.copyOf(notes), List.copyOf(withoutDeny));
    }

    private static Exposed exposed(int port, String protocol, InboundReachability.Verdict v, AddressSet publicReach,
                                   boolean publicIp) {
        InboundReachability.Grant grant = v.mainGrant(publicReach).orElseThrow();
        List<InboundReachability.Grant> upstream = grant.admin() ? List.of() : v.upstreamGrants(publicReach);
        return new Exposed(port, protocol, grant, upstream, publicReach.describe(AddressSet.NON_PUBLIC, HOLES_NAMED),
                publicReach.size(), publicIp ? Severity.HIGH : Severity.MEDIUM);
    }

    /** e.g. {@code VirtualNetwork, AzureLoadBalancer, 10.0.0.0/8}. */
    static String internalSources(SourceSet inside) {
        List<String> parts = new ArrayList<>(inside.nameList());
        List<String> cidrs = inside.addresses().cidrs();
        parts.addAll(cidrs.subList(0, Math.min(HOLES_NAMED, cidrs.size())));
        if (cidrs.size() > HOLES_NAMED) {
            parts.add("and " + (cidrs.size() - HOLES_NAMED) + " more private blocks");
        }
        return String.join(", ", parts);
    }

    /**
     * Requests of a JIT policy document ({@code properties.requests[]}) still open at {@code now}: a port whose
     * {@code status} is {@code Initiated} and whose {@code endTimeUtc} is in the future.
     */
    public static List<ActiveRequest> activeRequests(JsonNode policy, Instant now) {
        List<ActiveRequest> active = new ArrayList<>();
        for (JsonNode request : policy.path("properties").path("requests")) {
            for (JsonNode vm : request.path("virtualMachines")) {
                String vmId = vm.path("id").asText("");
                for (JsonNode p : vm.path("ports")) {
                    String status = p.path("status").asText("Initiated");
                    if (!status.toLowerCase(Locale.ROOT).equals("initiated") || !p.path("number").canConvertToInt()) {
                        continue;
                    }
                    try {
                        Instant end = Instant.parse(p.path("endTimeUtc").asText(""));
                        if (end.isAfter(now)) {
                            active.add(new ActiveRequest(vmId, p.path("number").asInt(), end));
                        }
                    } catch (DateTimeParseException e) {
                        // no end time we can read: not counted as open
                    }
                }
            }
        }
        return active;
    }

    /** True once a policy has existed longer than the grace period Defender needs to write its deny rules. */
    public static boolean pastGrace(Optional<Instant> policyLastModified, Duration grace, Instant now) {
        return policyLastModified.map(t -> t.plus(grace).isBefore(now)).orElse(true);
    }
}
