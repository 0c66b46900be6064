package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import io.jitguard.model.ArmId;
import io.jitguard.model.IpConfiguration;
import io.jitguard.model.NetworkIndex;
import io.jitguard.model.Nic;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.Subnet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * "Covered" is not "closed": which sources really reach the VM's baseline ports. Runs for every VM no earlier check
 * stopped (excluded, unsupported and blocked VMs never get here), whether it is covered or about to be: an allow rule
 * that exists keeps priority over the deny rules Defender adds when the VM is put under JIT, so an exposure found
 * before the fix is still one after it. Report only: it never stops the VM from being fixed and jitguard never edits
 * an NSG.
 *
 * <p>Each private address of each NIC IP configuration is evaluated on its own path — AVNM admin rules of its virtual
 * network, its subnet's NSG, its NIC's NSG ({@link InboundReachability}). Findings: {@link FindingKind#EXPOSED} per
 * port a public source reaches (HIGH when the NIC has a public IP, else MEDIUM); {@link FindingKind#NO_JIT_DENY} per
 * covered port without a Defender JIT deny rule for one of this VM's addresses, once the covering policy is older
 * than the grace period (or of unknown age), when internal sources reach it (LOW, "internal only");
 * {@link FindingKind#EXPOSURE_NOTE} for ports open for this VM's approved JIT request, a missing deny rule where
 * nothing reaches the port anyway, NSGs not read and paths without an NSG.
 */
public final class ExposureCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        if (ctx.vm().classic()) {
            return List.of();
        }
        ExposureInputs inputs = ctx.exposure();
        List<PortExposure.ActiveRequest> active = new ArrayList<>();
        ctx.listings().forEach(l -> active.addAll(inputs.facts(l.policy()).active()));
        Optional<Evaluator.Listing> covering = ctx.coveredBy(baseline);
        Set<String> notes = new LinkedHashSet<>();
        List<PortExposure.Endpoint> endpoints = endpoints(ctx, inputs, notes);
        List<Finding> out = new ArrayList<>();
        if (!endpoints.isEmpty()) {
            PortExposure.Result result = PortExposure.evaluate(ctx.vm().id(), endpoints, baseline.portsFor(ctx.vm()),
                    active, inputs.memo());
            result.exposed().forEach(e -> out.add(exposedFinding(e)));
            notes.addAll(result.notes());
            boolean pastGrace = covering.map(l -> PortExposure.pastGrace(inputs.facts(l.policy()).lastModified(),
                    baseline.exposure().jitDenyGrace(), inputs.readAt())).orElse(false);
            if (covering.isPresent() && pastGrace) {
                Set<Integer> coveredPorts = new LinkedHashSet<>();
                covering.get().entry().ports().forEach(r -> coveredPorts.add(r.number()));
                Set<Integer> exposedPorts = new LinkedHashSet<>();
                result.exposed().forEach(e -> exposedPorts.add(e.port()));
                Map<Integer, PortExposure.InternalOnly> internal = new LinkedHashMap<>();
                result.internal().forEach(i -> internal.put(i.port(), i));
                String policy = covering.get().policy().name();
                for (int port : result.portsWithoutJitDeny()) {
                    if (!coveredPorts.contains(port) || exposedPorts.contains(port)) {
                        continue;
                    }
                    PortExposure.InternalOnly i = internal.get(port);
                    if (i == null) {
                        notes.add("port " + port + " has no Defender JIT deny rule for this VM although policy "
                                + policy + " covers it; no source reaches it (not exposure)");
                        continue;
                    }
                    out.add(Finding.exposure(FindingKind.NO_JIT_DENY, "port " + port
                            + " internal only: JIT deny rule missing (no Defender JIT deny rule for this VM's address"
                            + " on NSG " + name(i.nsgId()) + " although policy " + policy + " covers it; reached from "
                            + i.sources() + ")", new ExposedPort(ExposedPort.NO_JIT_DENY, port, i.nsgId(), null, null,
                            null, PortExposure.Severity.LOW.name(), null, null, i.sources())));
                }
            }
        }
        notes.forEach(n -> out.add(Finding.report(FindingKind.EXPOSURE_NOTE, n)));
        return out;
    }

    /** One endpoint per private address of the VM's NICs whose path holds an NSG; notes for the others. */
    static List<PortExposure.Endpoint> endpoints(VmContext ctx, ExposureInputs inputs, Set<String> notes) {
        Map<String, Subnet> subnets = new LinkedHashMap<>();
        ctx.subnets().forEach(s -> subnets.put(ArmId.key(s.id()), s));
        List<PortExposure.Endpoint> endpoints = new ArrayList<>();
        for (Nic nic : ctx.nics()) {
            for (IpConfiguration ipc : configurations(nic)) {
                List<String> pathIds = new ArrayList<>();
                Subnet subnet = ipc.subnetId() == null ? null : subnets.get(ArmId.key(ipc.subnetId()));
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
                List<String> unread = pathIds.stream().filter(id -> inputs.nsg(id).isEmpty()).toList();
                if (!unread.isEmpty()) {
                    notes.add("NSG " + String.join(", ", unread.stream().map(ExposureCheck::name).toList())
                            + " was not read: exposure of NIC " + name(nic.id()) + " not checked");
                    continue;
                }
                List<NetworkSecurityGroup> path = pathIds.stream().map(id -> inputs.nsg(id).get()).toList();
                AddressSet address = ipc.privateIp() == null ? null
                        : AddressSet.parse(ipc.privateIp()).filter(a -> a.size().equals(BigInteger.ONE)).orElse(null);
                String vnet = ipc.subnetId() == null ? null : NetworkIndex.vnetOf(ipc.subnetId()).orElse(null);
                endpoints.add(new PortExposure.Endpoint(nic.id(), address, vnet, inputs.adminRules(vnet), path,
                        Set.copyOf(lower(ipc.asgIds())), nic.publicIp()));
            }
        }
        return endpoints;
    }

    /** The NIC's IP configurations; when they were not read, one per subnet with the NIC's ASGs and no address. */
    private static List<IpConfiguration> configurations(Nic nic) {
        if (!nic.ipConfigurations().isEmpty()) {
            return nic.ipConfigurations();
        }
        if (nic.subnetIds().isEmpty()) {
            return List.of(new IpConfiguration(null, null, nic.publicIp(), nic.asgIds()));
        }
        return nic.subnetIds().stream().map(s -> new IpConfiguration(null, s, nic.publicIp(), nic.asgIds())).toList();
    }

    private static Finding exposedFinding(PortExposure.Exposed e) {
        InboundReachability.Grant g = e.grant();
        return Finding.exposure(FindingKind.EXPOSED, e.describe(), new ExposedPort(ExposedPort.OPEN, e.port(),
                g.where(), g.rule(), g.priority(), String.join(",", g.ruleSources()), e.severity().name(), e.block(),
                e.addresses(), null));
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
