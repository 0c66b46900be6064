package io.jitguard.plan;

import static io.jitguard.World.LOC;
import static io.jitguard.World.RG;
import static io.jitguard.World.SUB;
import static io.jitguard.World.defaultRules;
import static io.jitguard.World.entry;
import static io.jitguard.World.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.evaluate.Evaluator;
import io.jitguard.evaluate.PolicyNaming;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.evaluate.VmFinding;
import io.jitguard.evaluate.VmState;
import io.jitguard.model.DefenderPlan;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.Vm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private final World w = new World();
    private final Baseline baseline = Baseline.defaults();

    private Plan plan() {
        return Planner.plan(List.of(Evaluator.evaluate(w.build(), baseline)), baseline);
    }

    private static String id(String rg, String loc, String name) {
        return PolicyNaming.policyId(SUB, rg, loc, name);
    }

    @Test
    void fiveMissingVmsInOneRgAndLocationMakeOneWrite() {
        for (int i = 5; i >= 1; i--) {
            w.vm("vm" + i);
        }
        Plan plan = plan();
        assertThat(plan.policyWrites()).hasSize(1);
        PolicyWrite pw = plan.policyWrites().get(0);
        assertThat(pw).isEqualTo(new PolicyWrite(id(RG, LOC, "default"), SUB, RG, LOC, "default", true,
                List.of(World.vmId(RG, "vm1"), World.vmId(RG, "vm2"), World.vmId(RG, "vm3"),
                        World.vmId(RG, "vm4"), World.vmId(RG, "vm5"))));
        assertThat(plan.assignmentWrites()).isEmpty();
    }

    @Test
    void twoLocationsMakeTwoWrites() {
        w.vm(RG, "westeurope", "a");
        w.vm(RG, "northeurope", "b");
        w.vm(RG, "WestEurope", "c");
        Plan plan = plan();
        assertThat(plan.policyWrites()).extracting(PolicyWrite::location).containsExactly("northeurope",
                "westeurope");
        assertThat(plan.policyWrites().get(1).vmIds()).containsExactly(World.vmId(RG, "a"), World.vmId(RG, "c"));
    }

    @Test
    void missingAndLooseOfTheSamePolicyShareOneWrite() {
        Vm loose = w.vm("loose");
        w.vm("missing");
        JitPolicy p = w.policy(RG, LOC, "default", entry(loose, List.of(rule(22, "*", "PT8H", "*"))));
        Plan plan = plan();
        assertThat(plan.policyWrites()).containsExactly(new PolicyWrite(p.id(), SUB, RG, LOC, "default", false,
                List.of(World.vmId(RG, "loose"), World.vmId(RG, "missing"))));
    }

    @Test
    void looseVmStaysInThePolicyListingIt() {
        Vm vm = w.vm("web1");
        w.policy(RG, LOC, "default");
        JitPolicy ops = w.policy(RG, LOC, "ops-policy", entry(vm, List.of(rule(22, "*", "PT3H", "*"))));
        assertThat(plan().policyWrites()).singleElement()
                .satisfies(pw -> {
                    assertThat(pw.policyId()).isEqualTo(ops.id());
                    assertThat(pw.create()).isFalse();
                    assertThat(pw.name()).isEqualTo("ops-policy");
                });
    }

    @Test
    void fortyNineCharacterNameFitsDefault() {
        w.policy(RG, LOC, "default");
        w.policy(RG, LOC, "a");
        w.vm("v".repeat(49));
        assertThat(plan().policyWrites()).singleElement()
                .satisfies(pw -> assertThat(pw.name()).isEqualTo("default"))
                .satisfies(pw -> assertThat(pw.create()).isFalse());
    }

    @Test
    void fiftyCharacterNameGoesToTheFallbackNeverToSomeoneElsesPolicy() {
        // Issue 9 changed this: a VM no longer lands in whatever existing policy fits ("abc" before).
        w.policy(RG, LOC, "default");
        w.policy(RG, LOC, "team-b");
        w.policy(RG, LOC, "ops");
        w.policy(RG, LOC, "abc");
        w.policy(RG, "northeurope", "x");
        w.vm("v".repeat(50));
        PolicyWrite pw = plan().policyWrites().get(0);
        assertThat(pw.name()).isEqualTo("j");
        assertThat(pw.create()).isTrue();
    }

    @Test
    void newVmGoesToDefaultNotToAnOpsPolicyThatComesFirst() {
        w.policy(RG, LOC, "ops-jit");
        w.vm("vm1");
        PolicyWrite pw = plan().policyWrites().get(0);
        assertThat(pw.name()).isEqualTo("default");
        assertThat(pw.create()).isTrue();
        assertThat(pw.vmIds()).containsExactly(World.vmId(RG, "vm1"));
    }

    @Test
    void fiftyCharacterNameWithNoShortPolicyGoesToANewJ() {
        w.policy(RG, LOC, "default");
        w.vm("v".repeat(50));
        w.vm("short");
        Plan plan = plan();
        assertThat(plan.policyWrites()).extracting(PolicyWrite::name, PolicyWrite::create)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("default", false),
                        org.assertj.core.groups.Tuple.tuple("j", true));
        assertThat(plan.policyWrites().get(1).policyId()).isEqualTo(id(RG, LOC, "j"));
    }

    @Test
    void newDefaultWhenNothingExists() {
        w.vm("v".repeat(49));
        assertThat(plan().policyWrites().get(0)).extracting(PolicyWrite::name, PolicyWrite::create)
                .containsExactly("default", true);
    }

    @Test
    void fiftySixCharacterNameIsUnsupportedAndNotWritten() {
        w.vm("v".repeat(56));
        SubscriptionFindings f = Evaluator.evaluate(w.build(), baseline);
        assertThat(f.vms().get(0).state()).isEqualTo(VmState.UNSUPPORTED);
        assertThat(plan().isEmpty()).isTrue();
    }

    @Test
    void evaluatorReportsTheTargetThePlannerWrites() {
        w.policy(RG, LOC, "default");
        w.policy(RG, LOC, "ab");
        for (String name : List.of("a", "v".repeat(49), "v".repeat(50), "v".repeat(54), "v".repeat(55))) {
            w.vm(name);
        }
        SubscriptionFindings f = Evaluator.evaluate(w.build(), baseline);
        Plan plan = Planner.plan(List.of(f), baseline);
        for (VmFinding vf : f.vms()) {
            PolicyWrite pw = plan.policyWrites().stream().filter(x -> x.vmIds().contains(vf.vm().id())).findFirst()
                    .orElseThrow();
            assertThat(pw.policyId()).isEqualTo(vf.policyId());
            assertThat(vf.gaps().get(0)).isEqualTo("add to policy " + pw.name());
            assertThat(PolicyNaming.fits(pw.name(), vf.vm().name())).isTrue();
        }
    }

    @Test
    void nothingForCompliantExcludedBlockedOrUnsupported() {
        Vm ok = w.vm("ok");
        w.policy(RG, LOC, "default", entry(ok, defaultRules()));
        w.add(new Vm(World.vmId(RG, "ex"), "ex", SUB, RG, LOC, Map.of("jitguard-exclude", "true"), false,
                List.of()));
        w.add(new Vm(World.vmId(RG, "classic"), "classic", SUB, RG, LOC, Map.of(), true, List.of()));
        assertThat(plan().isEmpty()).isTrue();

        World blocked = new World();
        blocked.vm("a");
        blocked.defenderPlan = DefenderPlan.FREE;
        assertThat(Planner.plan(List.of(Evaluator.evaluate(blocked.build(), baseline)), baseline).isEmpty())
                .isTrue();
    }

    @Test
    void oneAssignmentWritePerDisabledSubscription() {
        w.assignment = Optional.of(World.assignment("Disabled"));
        World other = new World();
        other.subscriptionId = "00000000-0000-0000-0000-000000000000";
        other.assignment = Optional.of(World.assignment("Disabled"));
        World fine = new World();
        fine.subscriptionId = "00000000-0000-0000-0000-000000000002";
        World missing = new World();
        missing.assignment = Optional.empty();
        Plan plan = Planner.plan(List.of(Evaluator.evaluate(w.build(), baseline),
                Evaluator.evaluate(other.build(), baseline), Evaluator.evaluate(fine.build(), baseline),
                Evaluator.evaluate(missing.build(), baseline)), baseline);
        assertThat(plan.assignmentWrites()).extracting(AssignmentWrite::subscriptionId)
                .containsExactly("00000000-0000-0000-0000-000000000000", SUB);
        assertThat(plan.assignmentWrites().get(1).assignmentId())
                .isEqualTo(World.assignment(null).id());
        assertThat(plan.policyWrites()).isEmpty();
    }

    @Test
    void planIsDeterministicWhateverTheInputOrder() {
        w.vm("rg-b", LOC, "x");
        w.vm("rg-a", LOC, "y");
        w.vm("rg-a", LOC, "b");
        Plan first = plan();
        java.util.Collections.reverse(w.vms);
        assertThat(plan()).isEqualTo(first);
        assertThat(first.policyWrites()).extracting(PolicyWrite::resourceGroup).containsExactly("rg-a", "rg-b");
    }
}
