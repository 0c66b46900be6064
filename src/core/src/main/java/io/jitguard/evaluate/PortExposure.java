package io.jitguard.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.SecurityRule;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "Covered" is not "closed": an allow rule above Defender's JIT deny rule, or an NSG Defender never locked, leaves a
 * JIT-covered VM reachable. This finds, for each baseline port of a covered VM, what its NSGs really let in from the
 * Internet. It only reports; jitguard never edits or deletes an NSG rule.
 */
public final class PortExposure {
    private PortExposure() {
    }

    public enum Severity { HIGH, MEDIUM }

    /** A baseline port reachable from a wide source through the allow rules that win on the VM's path. */
    public record Exposed(int port, List<InboundReachability.Decision> allowing, Severity severity) {
        /** e.g. {@code port 22 open: NSG nic-nsg rule allow-ssh (priority 300, source Internet)}. */
        public String describe() {
            return "port " + port + " open from the Internet: " + allowing.stream()
                    .map(d -> "NSG " + d.nsg().name() + " rule " + d.rule().name() + " (priority "
                            + d.rule().priority() + ", source " + String.join(",", d.rule().sourcePrefixes()) + ")")
                    .collect(Collectors.joining(" and ")) + (severity == Severity.HIGH ? "; the VM has a public IP" : "");
        }
    }

    /** What the VM's NSGs say, per baseline port. */
    public record Result(List<Exposed> exposed, List<String> notes, List<Integer> portsWithoutJitDeny) {
    }

    /** A port of a VM opened by an approved JIT request that has not ended yet. */
    public record ActiveRequest(String vmId, int port, Instant endTimeUtc) {
    }

    /**
     * @param path          the VM's NSGs, subnet's first then the NIC's
     * @param publicIp      true when a NIC of the VM has a public IP address
     * @param active        JIT requests still open for this VM ({@link #activeRequests})
     * @param widest        a source prefix this wide or wider (and public) counts as the Internet
     */
    public static Result evaluate(String vmId, List<NetworkSecurityGroup> path, Set<String> nicAsgIds,
                                  boolean publicIp, List<Integer> ports, List<ActiveRequest> active, int widest) {
        return evaluate(vmId, path, nicAsgIds, publicIp, ports, active, widest, new NsgMemo());
    }

    /** {@link #evaluate(String, List, Set, boolean, List, List, int)} with NSG answers shared through {@code memo}. */
    static Result evaluate(String vmId, List<NetworkSecurityGroup> path, Set<String> nicAsgIds, boolean publicIp,
                           List<Integer> ports, List<ActiveRequest> active, int widest, NsgMemo memo) {
        List<Exposed> exposed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Integer> withoutDeny = new ArrayList<>();
        for (int port : ports) {
            if (!path.isEmpty() && !hasJitDeny(path, port, memo)) {
                withoutDeny.add(port);
            }
            InboundReachability.Verdict verdict = InboundReachability.inbound(path, nicAsgIds, port, "Tcp", widest, memo);
            if (!verdict.reachable()) {
                verdict = InboundReachability.inbound(path, nicAsgIds, port, "Udp", widest, memo);
            }
            if (!verdict.reachable()) {
                continue;
            }
            Optional<ActiveRequest> request = active.stream()
                    .filter(r -> r.vmId().equalsIgnoreCase(vmId) && r.port() == port).findFirst();
            boolean openedByJit = verdict.allowing().stream().anyMatch(d -> d.rule().isDefenderJitRule());
            if (request.isPresent() && openedByJit) {
                notes.add("port " + port + " is open for an approved JIT request until " + request.get().endTimeUtc()
                        + " (not exposure)");
                continue;
            }
            exposed.add(new Exposed(port, verdict.allowing(), publicIp ? Severity.HIGH : Severity.MEDIUM));
        }
        return new Result(List.copyOf(exposed), List.copyOf(notes), List.copyOf(withoutDeny));
    }

    /** True when an NSG on the path carries a Defender JIT deny rule for the port. */
    static boolean hasJitDeny(List<NetworkSecurityGroup> path, int port) {
        return hasJitDeny(path, port, new NsgMemo());
    }

    private static boolean hasJitDeny(List<NetworkSecurityGroup> path, int port, NsgMemo memo) {
        for (NetworkSecurityGroup nsg : path) {
            if (memo.hasJitDeny(nsg, port)) {
                return true;
            }
        }
        return false;
    }

    /** True when the NSG carries a Defender JIT deny rule for the port. */
    static boolean hasJitDeny(NetworkSecurityGroup nsg, int port) {
        for (SecurityRule r : nsg.rules()) {
            if (r.inbound() && !r.allows() && r.isDefenderJitRule()
                    && InboundReachability.portMatches(r.destinationPortRanges(), port)) {
                return true;
            }
        }
        return false;
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
