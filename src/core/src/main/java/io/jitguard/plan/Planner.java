package io.jitguard.plan;

import io.jitguard.model.ArmId;
import io.jitguard.model.JitPolicyJson;
import io.jitguard.baseline.Baseline;
import io.jitguard.evaluate.Finding;
import io.jitguard.evaluate.MonitoringState;
import io.jitguard.evaluate.PolicyNaming;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.evaluate.VmFinding;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.Vm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Findings → the fewest writes. Pure and deterministic: one {@link PolicyWrite} per policy that must change, holding
 * every missing or loose VM that goes to it (so all VMs of a resource group + location bound for the same policy
 * share one PUT); it reads only the findings whose remedy is a JIT policy write ({@link VmFinding#jitWrites()}), each
 * naming the policy its fix writes; one {@link AssignmentWrite} per subscription whose monitoring effect is disabled. Compliant,
 * excluded, blocked and unsupported VMs cost nothing. A missing VM goes where {@link PolicyNaming#target} says (the
 * evaluator reports the same target); a loose VM stays in the policy that lists it. Writes are ordered by policy id
 * (case-insensitive), VM ids likewise, assignment writes by subscription id.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * @param findings one per subscription, from {@link io.jitguard.evaluate.Evaluator#evaluate}
     * @param baseline the baseline the findings were made with: each VM's ports ({@link Baseline#portsFor}) go into
     *                 its write
     */
    public static Plan plan(List<SubscriptionFindings> findings, Baseline baseline) {
        Map<String, Group> groups = new TreeMap<>();
        List<AssignmentWrite> assignments = new ArrayList<>();
        for (SubscriptionFindings sf : findings) {
            ObservedSubscription observed = sf.observed();
            for (VmFinding f : sf.vms()) {
                for (Finding w : f.jitWrites()) {
                    PolicyNaming.Target t = w.policy();
                    group(groups, t.id(), t.create() ? newPolicy(f.vm(), t) : existing(observed, t.id())).add(f.vm(), baseline);
                }
            }
            DeletedVmEntries.byPolicy(observed).forEach((p, ids) ->
                    group(groups, p.id(), existing(observed, p.id())).removeAll(ids));
            if (sf.monitoring().state() == MonitoringState.DISABLED) {
                assignments.add(new AssignmentWrite(sf.monitoring().assignmentId(), sf.monitoring().subscriptionId()));
            }
        }
        List<PolicyWrite> writes = groups.values().stream().map(Group::toWrite).toList();
        assignments.sort(Comparator.comparing(AssignmentWrite::subscriptionId, String.CASE_INSENSITIVE_ORDER));
        return new Plan(writes, assignments);
    }

    /**
     * The plans of disjoint sets of subscriptions as one, in {@link #plan}'s order: what planning all their findings
     * together gives (a policy and an assignment belong to one subscription).
     */
    public static Plan merge(List<Plan> plans) {
        List<PolicyWrite> writes = new ArrayList<>();
        List<AssignmentWrite> assignments = new ArrayList<>();
        for (Plan plan : plans) {
            writes.addAll(plan.policyWrites());
            assignments.addAll(plan.assignmentWrites());
        }
        writes.sort(Comparator.comparing(w -> ArmId.key(w.policyId())));
        assignments.sort(Comparator.comparing(AssignmentWrite::subscriptionId, String.CASE_INSENSITIVE_ORDER));
        return new Plan(writes, assignments);
    }

    private static Group group(Map<String, Group> groups, String policyId, PolicyWrite header) {
        return groups.computeIfAbsent(ArmId.key(policyId), k -> new Group(header));
    }

    private static PolicyWrite newPolicy(Vm vm, PolicyNaming.Target t) {
        return new PolicyWrite(t.id(), vm.subscriptionId(), vm.resourceGroup(), vm.location(), t.name(), true,
                List.of());
    }

    private static PolicyWrite existing(ObservedSubscription observed, String policyId) {
        Optional<JitPolicy> p = observed.policies().stream().filter(x -> x.id().equalsIgnoreCase(policyId))
                .findFirst();
        if (p.isPresent()) {
            JitPolicy policy = p.get();
            return new PolicyWrite(policy.id(), policy.subscriptionId(), policy.resourceGroup(), policy.location(),
                    policy.name(), false, List.of());
        }
        JitPolicyJson.PolicyId id = JitPolicyJson.parseId(policyId).orElseThrow(
                () -> new IllegalArgumentException("not a JIT policy id: " + policyId));
        return new PolicyWrite(policyId, id.subscriptionId(), id.resourceGroup(), id.location(), id.name(), false,
                List.of());
    }

    private static final class Group {
        private final PolicyWrite header;
        private final Map<String, String> vmIds = new TreeMap<>();
        private final Map<String, String> removeVmIds = new TreeMap<>();
        private final Map<String, List<Integer>> vmPorts = new TreeMap<>();

        Group(PolicyWrite header) {
            this.header = header;
        }

        void add(Vm vm, Baseline baseline) {
            vmIds.putIfAbsent(ArmId.key(vm.id()), vm.id());
            if (!baseline.portsFor(vm).equals(baseline.ports())) {
                vmPorts.put(ArmId.key(vm.id()), baseline.portsFor(vm));
            }
        }

        void removeAll(List<String> ids) {
            ids.forEach(id -> removeVmIds.putIfAbsent(ArmId.key(id), id));
        }

        PolicyWrite toWrite() {
            return new PolicyWrite(header.policyId(), header.subscriptionId(), header.resourceGroup(),
                    header.location(), header.name(), header.create(), List.copyOf(vmIds.values()),
                    List.copyOf(removeVmIds.values()), vmPorts);
        }
    }
}
