package io.jitguard.plan;

import io.jitguard.model.JitPolicyJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.evaluate.Evaluator;
import io.jitguard.evaluate.MonitoringState;
import io.jitguard.evaluate.PolicyNaming;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.evaluate.VmFinding;
import io.jitguard.evaluate.VmState;
import io.jitguard.model.ArmId;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.Vm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The whole core loop: evaluate → plan → merge (what apply would PUT) → evaluate → plan. The second run writes
 * nothing, every VM the first run wrote for is compliant, and nothing else changed state.
 */
class ReconcileProperties {

    /** A subscription: the policy documents of rg1/westeurope by name, excluded VMs, the monitoring effect. */
    record Case(Map<String, ObjectNode> policies, List<Boolean> excluded, String effect, Baseline baseline) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Map<String, ObjectNode>> policies = Generators.policyDocument().list().ofMaxSize(3)
                .map(docs -> {
                    Map<String, ObjectNode> m = new LinkedHashMap<>();
                    for (int i = 0; i < docs.size(); i++) {
                        m.put(Generators.POLICY_NAMES.get(i), docs.get(i));
                    }
                    return m;
                });
        return Combinators.combine(policies,
                Arbitraries.of(false, false, false, true).list().ofSize(Generators.NAMES.size()),
                Arbitraries.of("Disabled", "AuditIfNotExists", "audit", "none"), Generators.baseline())
                .as((p, ex, effect, b) -> new Case(p, ex, effect.equals("none") ? null : effect, b));
    }

    @Property(tries = 200)
    void secondRunWritesNothing(@ForAll("cases") Case c) {
        Map<String, ObjectNode> docs = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        c.policies().forEach((name, doc) -> {
            String id = PolicyNaming.policyId(World.SUB, World.RG, World.LOC, name);
            docs.put(ArmId.key(id), doc);
            ids.put(ArmId.key(id), id);
        });

        SubscriptionFindings first = Evaluator.evaluate(observed(c, docs, ids, c.effect()), c.baseline());
        Plan plan = Planner.plan(List.of(first), c.baseline());

        assertThat(plan.policyWrites()).extracting(pw -> ArmId.key(pw.policyId())).doesNotHaveDuplicates();
        for (VmFinding f : first.vms()) {
            List<PolicyWrite> holding = plan.policyWrites().stream()
                    .filter(pw -> pw.vmIds().contains(f.vm().id())).toList();
            if (f.state().needsWrite()) {
                assertThat(holding).as("one write for %s", f.vm().name()).singleElement()
                        .satisfies(pw -> assertThat(pw.policyId()).isEqualTo(f.policyId()));
            } else {
                assertThat(holding).as("no write for %s %s", f.state(), f.vm().name()).isEmpty();
            }
        }
        for (PolicyWrite pw : plan.policyWrites()) {
            ObjectNode current = docs.get(ArmId.key(pw.policyId()));
            assertThat(current == null).as("create iff not read: %s", pw).isEqualTo(pw.create());
            MergeResult r = PolicyMerge.merge(current, pw, c.baseline());
            assertThat(r.changed()).as("a planned write changes something").isTrue();
            docs.put(ArmId.key(pw.policyId()), r.document());
            ids.put(ArmId.key(pw.policyId()), pw.policyId());
        }
        String effect = c.effect();
        for (AssignmentWrite aw : plan.assignmentWrites()) {
            ObjectNode body = AssignmentMerge.merge(assignmentDoc(effect)).orElseThrow();
            effect = AssignmentMerge.effectOf(body);
        }

        SubscriptionFindings second = Evaluator.evaluate(observed(c, docs, ids, effect), c.baseline());
        Plan again = Planner.plan(List.of(second), c.baseline());
        assertThat(again.isEmpty()).as("second run plans %s", again).isTrue();
        assertThat(second.monitoring().state()).isEqualTo(MonitoringState.COMPLIANT);
        for (int i = 0; i < first.vms().size(); i++) {
            VmFinding before = first.vms().get(i);
            VmFinding after = second.vms().get(i);
            if (before.state().needsWrite() || before.state() == VmState.COMPLIANT) {
                assertThat(after.state()).as(after.vm().name()).isEqualTo(VmState.COMPLIANT);
            } else {
                assertThat(after.state()).isEqualTo(before.state());
            }
            if (before.state() == VmState.MISSING) {
                assertThat(after.policyId()).isEqualTo(before.policyId());
            }
        }
    }

    private static ObservedSubscription observed(Case c, Map<String, ObjectNode> docs, Map<String, String> ids,
                                                 String effect) {
        World w = new World();
        for (int i = 0; i < Generators.NAMES.size(); i++) {
            String name = Generators.NAMES.get(i);
            if (name.equals("gone")) {
                continue;
            }
            Vm vm = w.vm(name);
            if (c.excluded().get(i)) {
                w.vms.set(w.vms.size() - 1, new Vm(vm.id(), vm.name(), vm.subscriptionId(), vm.resourceGroup(),
                        vm.location(), Map.of("jitguard-exclude", "True"), false, vm.nicIds()));
            }
        }
        docs.forEach((k, doc) -> w.policies.add(JitPolicyJson.toPolicy(ids.get(k), doc)));
        w.assignment = Optional.of(World.assignment(effect));
        return w.build();
    }

    private static ObjectNode assignmentDoc(String effect) {
        ObjectNode a = Generators.F.objectNode();
        a.put("id", World.assignment(null).id());
        ObjectNode params = a.putObject("properties").putObject("parameters");
        if (effect != null) {
            params.putObject("jitNetworkAccessMonitoringEffect").put("value", effect);
        }
        return a;
    }
}
