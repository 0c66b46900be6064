package io.jitguard.evaluate;

import static io.jitguard.World.LOC;
import static io.jitguard.World.RG;
import static io.jitguard.World.SUB;
import static io.jitguard.World.entry;
import static io.jitguard.World.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.BaselineSettings;
import io.jitguard.baseline.SettingsException;
import io.jitguard.model.ResourceGroup;
import io.jitguard.model.Vm;
import io.jitguard.plan.MergeResult;
import io.jitguard.plan.Plan;
import io.jitguard.plan.PolicyMerge;
import io.jitguard.plan.PolicyWrite;
import io.jitguard.plan.Planner;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 11 wiring in core: exclusions judged on an injected day, managed groups, per-OS ports end to end. */
class ExclusionAndProfileWiringTest {
    static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private final World w = new World();

    private static Baseline settings(Map<String, String> env) {
        return BaselineSettings.parse(env);
    }

    private Vm vm(String name, String os) {
        Vm plain = w.vm(name);
        w.vms.remove(plain);
        return w.add(new Vm(plain.id(), plain.name(), SUB, RG, LOC, plain.tags(), false, plain.nicIds(), os));
    }

    private VmFinding only(Baseline b, LocalDate day) {
        List<VmFinding> vms = Evaluator.evaluate(w.build(), b, day).vms();
        assertThat(vms).hasSize(1);
        return vms.get(0);
    }

    @Test
    void anApprovedEntryExcludesThroughItsLastDayOfTheInjectedClockThenTheVmIsReconciled() {
        Vm vm = vm("web1", "Linux");
        Baseline b = settings(Map.of("JITGUARD_EXCLUSIONS", "[{\"scope\":\"" + vm.id() + "\",\"reason\":\"appliance\","
                + "\"expiresOn\":\"" + DAY + "\",\"approvedBy\":\"ciso\"}]"));

        VmFinding today = only(b, DAY);
        assertThat(today.state()).isEqualTo(VmState.EXCLUDED);
        assertThat(today.reason()).isEqualTo("excluded by JITGUARD_EXCLUSIONS (" + vm.id()
                + ", approved by ciso) until " + DAY + ": appliance");
        assertThat(today.findings().get(0).exclusion().until()).isEqualTo(DAY);
        assertThat(today.jitWrites()).isEmpty();

        VmFinding tomorrow = only(b, DAY.plusDays(1));
        assertThat(tomorrow.state()).isEqualTo(VmState.MISSING);
        assertThat(tomorrow.findings().get(0).kind()).isEqualTo(FindingKind.EXCLUSION_EXPIRED);
        assertThat(tomorrow.findings().get(0).reason()).isEqualTo("exclusion expired " + DAY
                + " (JITGUARD_EXCLUSIONS (" + vm.id() + ", approved by ciso): appliance)");
        assertThat(tomorrow.jitWrites()).isNotEmpty();
    }

    @Test
    void aVmOfAManagedGroupIsExcludedEvenWithAnExpiredExclusion_andNothingIsPlanned() {
        Vm vm = vm("worker", "Linux");
        w.resourceGroups.add(new ResourceGroup(SUB, RG, LOC, Map.of("jitguard-exclude", "2020-01-01"),
                "/subscriptions/" + SUB + "/resourceGroups/rg-x/providers/Microsoft.Databricks/workspaces/ws"));
        SubscriptionFindings f = Evaluator.evaluate(w.build(), Baseline.defaults(), DAY);
        VmFinding finding = f.vms().get(0);
        assertThat(finding.state()).isEqualTo(VmState.EXCLUDED);
        assertThat(finding.reason()).isEqualTo(ManagedGroupCheck.reason(
                "/subscriptions/" + SUB + "/resourceGroups/rg-x/providers/Microsoft.Databricks/workspaces/ws"));
        assertThat(finding.findings()).extracting(Finding::kind)
                .as("the tag is refused (tags are off by default) and reported; the managed group excludes")
                .containsExactly(FindingKind.EXCLUSION_REFUSED, FindingKind.EXCLUDED);
        assertThat(Planner.plan(List.of(f), Baseline.defaults()).isEmpty()).isTrue();
        assertThat(finding.vm().id()).isEqualTo(vm.id());
    }

    @Test
    void portsFollowTheOsDiskType_coverageAndTheMergeUseTheVmsPorts() {
        Baseline b = settings(Map.of("JITGUARD_PORTS", "22,3389,5985", "JITGUARD_PORTS_LINUX", "22",
                "JITGUARD_PORTS_WINDOWS", "3389"));
        Vm linux = vm("lin", "Linux");
        Vm windows = vm("win", "windows");
        Vm unknown = vm("unk", null);
        assertThat(b.portsFor(linux)).containsExactly(22);
        assertThat(b.portsFor(windows)).containsExactly(3389);
        assertThat(b.portsFor(unknown)).containsExactly(22, 3389, 5985);
        assertThat(Baseline.defaults().portsFor(linux)).as("no profile: JITGUARD_PORTS")
                .isEqualTo(Baseline.DEFAULT_PORTS);

        w.policy(RG, LOC, "default", entry(linux, List.of(rule(22, "*", "PT3H"))),
                entry(windows, List.of(rule(22, "*", "PT3H"))));
        SubscriptionFindings f = Evaluator.evaluate(w.build(), b, DAY);
        Map<String, VmFinding> byName = new java.util.HashMap<>();
        f.vms().forEach(v -> byName.put(v.vm().name(), v));
        assertThat(byName.get("lin").state()).as("a rule for 22 alone covers a Linux VM").isEqualTo(VmState.COMPLIANT);
        assertThat(byName.get("win").gaps()).containsExactly("add port 3389");
        assertThat(byName.get("unk").gaps()).contains("add port 22", "add port 3389", "add port 5985");

        Plan plan = Planner.plan(List.of(f), b);
        PolicyWrite write = plan.policyWrites().get(0);
        assertThat(write.portsOf(windows.id(), b)).containsExactly(3389);
        assertThat(write.portsOf(unknown.id(), b)).containsExactly(22, 3389, 5985);
        MergeResult merged = PolicyMerge.merge(World.parse(w.policies.get(0).json()), write, b);
        List<Integer> winPorts = new ArrayList<>();
        for (JsonNode e : merged.document().path("properties").path("virtualMachines")) {
            if (e.path("id").asText().equals(windows.id())) {
                e.path("ports").forEach(p -> winPorts.add(p.path("number").asInt()));
            }
        }
        assertThat(winPorts).as("the write adds only the VM's ports; the existing 22 stays").containsExactly(22, 3389);
        assertThat(merged.changesByVmId()).doesNotContainKey(linux.id());
    }

    @Test
    void profileAndExclusionSettingsAreValidatedNamingTheSetting() {
        assertThatThrownBy(() -> settings(Map.of("JITGUARD_PORTS_LINUX", "22,70000")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("JITGUARD_PORTS_LINUX:");
        assertThatThrownBy(() -> settings(Map.of("JITGUARD_PORTS_WINDOWS", "3389,,")))
                .hasMessageStartingWith("JITGUARD_PORTS_WINDOWS:");
        assertThatThrownBy(() -> settings(Map.of("JITGUARD_EXCLUSIONS", "exclusions.json")))
                .hasMessageStartingWith("JITGUARD_EXCLUSIONS:").hasMessageContaining("runtime");
        assertThatThrownBy(() -> settings(Map.of("JITGUARD_EXCLUDE_TAG", "a/b")))
                .hasMessageStartingWith("JITGUARD_EXCLUDE_TAG:");
        Baseline b = settings(Map.of("JITGUARD_EXCLUDE_TAG", "no-jit", "JITGUARD_TAG_EXCLUSIONS", "off"));
        assertThat(b.exclusionTag()).isEqualTo("no-jit");
        assertThat(b.exclusions().tagsHonoured()).isFalse();
        assertThat(b.linuxPorts()).isNull();
    }
}
