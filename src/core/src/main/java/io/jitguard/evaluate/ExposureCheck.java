package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import io.jitguard.model.ArmId;
import io.jitguard.model.Nic;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.Subnet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * "Covered" is not "closed" (issue 11): what the VM's NSGs really let in from the Internet on the baseline ports.
 * Runs for every VM no earlier check stopped (excluded, unsupported and blocked VMs never get here), whether it is
 * covered or about to be: an allow rule that exists keeps priority over the deny rules Defender adds when the VM is
 * put under JIT, so an exposure found before the fix is still one after it. Report only: it never stops the VM from
 * being fixed and jitguard never edits an NSG.
 *
 * <p>For each NIC and each subnet of its IP configurations the path is the subnet's NSG then the NIC's
 * ({@link InboundReachability}). Findings: {@link FindingKind#EXPOSED} per port reachable from a wide source (HIGH
 * when the NIC has a public IP); {@link FindingKind#NO_JIT_DENY} per port of a covered VM without a Defender deny rule
 * on its path once the covering policy is older than the grace period (or of unknown age);
 * {@link FindingKind#EXPOSURE_NOTE} for ports open for an approved JIT request, NSGs not read and paths without an NSG.
 */
public final class ExposureCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        if (ctx.vm().classic()) {
            return List.of();
        }
        ExposureInputs inputs = ctx.exposure();
        int widest = baseline.exposure().widestPrefixLength();
        List<PortExposure.ActiveRequest> active = new ArrayList<>();
        ctx.listings().forEach(l -> active.addAll(inputs.facts(l.policy()).active()));
        Optional<Evaluator.Listing> covering = ctx.coveredBy(baseline);

        Map<Integer, Finding> exposed = new LinkedHashMap<>();
        Map<Integer, Finding> withoutDeny = new LinkedHashMap<>();
        Set<String> notes = new LinkedHashSet<>();
        Map<String, Subnet> subnets = new LinkedHashMap<>();
        ctx.subnets().forEach(s -> subnets.put(ArmId.key(s.id()), s));
        boolean pastGrace = covering.map(l -> PortExposure.pastGrace(inputs.facts(l.policy()).lastModified(),
                baseline.exposure().jitDenyGrace(), inputs.readAt())).orElse(false);

        for (Nic nic : ctx.nics()) {
            List<String> subnetIds = nic.subnetIds().isEmpty() ? java.util.Collections.singletonList(null)
                    : nic.subnetIds();
            for (String subnetId : subnetIds) {
                List<String> pathIds = new ArrayList<>();
                Subnet subnet = subnetId == null ? null : subnets.get(ArmId.key(subnetId));
                if (subnet != null && present(subnet.nsgId())) {
                    pathIds.add(subnet.nsgId());
                }
                if (present(nic.nsgId())) {
                    pathIds.add(nic.nsgId());
                }
                if (pathIds.isEmpty()) {
                    notes.add("NIC " + name(nic.id()) + " has no NSG on its path: exposure not checked (Azure Firewall"
                            + " rules are not read)");
                    continue;
                }
                List<NetworkSecurityGroup> path = new ArrayList<>();
                List<String> unread = pathIds.stream().filter(id -> inputs.nsg(id).isEmpty()).toList();
                if (!unread.isEmpty()) {
                    notes.add("NSG " + String.join(", ", unread.stream().map(ExposureCheck::name).toList())
                            + " was not read: exposure of NIC " + name(nic.id()) + " not checked");
                    continue;
                }
                pathIds.forEach(id -> path.add(inputs.nsg(id).get()));
                PortExposure.Result result = PortExposure.evaluate(ctx.vm().id(), path, Set.copyOf(lower(nic.asgIds())),
                        nic.publicIp(), baseline.portsFor(ctx.vm()), active, widest, inputs.memo());
                for (PortExposure.Exposed e : result.exposed()) {
                    Finding previous = exposed.get(e.port());
                    if (previous == null || (e.severity() == PortExposure.Severity.HIGH
                            && !"HIGH".equals(previous.exposure().severity()))) {
                        exposed.put(e.port(), exposedFinding(e));
                    }
                }
                notes.addAll(result.notes());
                if (covering.isPresent() && pastGrace) {
                    Set<Integer> coveredPorts = new LinkedHashSet<>();
                    covering.get().entry().ports().forEach(r -> coveredPorts.add(r.number()));
                    for (int port : result.portsWithoutJitDeny()) {
                        if (coveredPorts.contains(port) && !withoutDeny.containsKey(port)) {
                            withoutDeny.put(port, Finding.exposure(FindingKind.NO_JIT_DENY, "port " + port
                                    + " has no Defender JIT deny rule on NSG " + name(path.get(path.size() - 1).id())
                                    + " although policy " + covering.get().policy().name() + " covers it",
                                    new ExposedPort(ExposedPort.NO_JIT_DENY, port, path.get(path.size() - 1).id(),
                                            null, null, null, nic.publicIp() ? "HIGH" : "MEDIUM")));
                        }
                    }
                }
            }
        }
        List<Finding> out = new ArrayList<>(exposed.values());
        out.addAll(withoutDeny.values());
        notes.forEach(n -> out.add(Finding.report(FindingKind.EXPOSURE_NOTE, n)));
        return out;
    }

    private static Finding exposedFinding(PortExposure.Exposed e) {
        InboundReachability.Decision last = e.allowing().get(e.allowing().size() - 1);
        return Finding.exposure(FindingKind.EXPOSED, e.describe(), new ExposedPort(ExposedPort.OPEN, e.port(),
                last.nsg().id(), last.rule().name(), last.rule().priority(),
                String.join(",", last.rule().sourcePrefixes()), e.severity().name()));
    }

    private static List<String> lower(List<String> ids) {
        return ids.stream().map(ArmId::key).toList();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String name(String id) {
        return id.substring(id.lastIndexOf('/') + 1);
    }
}
