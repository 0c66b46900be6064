package io.jitguard.evaluate;

import static io.jitguard.World.LOC;
import static io.jitguard.World.RG;
import static io.jitguard.World.SUB;
import static io.jitguard.World.defaultRules;
import static io.jitguard.World.entry;
import static io.jitguard.World.rule;
import static io.jitguard.World.subnetId;
import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Mode;
import io.jitguard.model.DefenderPlan;
import io.jitguard.model.Firewall;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.Nic;
import io.jitguard.model.ResourceGroup;
import io.jitguard.model.Subnet;
import io.jitguard.model.Vm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private final World w = new World();
    private final Baseline baseline = Baseline.defaults();
    private final Baseline narrow = new Baseline(List.of(22, 3389), "*", List.of("10.0.0.0/8", "192.168.0.0/16"),
            Duration.ofHours(3), Mode.ENFORCE, List.of(), "jitguard-exclude");

    private VmFinding only() {
        return only(baseline);
    }

    private VmFinding only(Baseline b) {
        SubscriptionFindings f = Evaluator.evaluate(w.build(), b);
        assertThat(f.vms()).hasSize(1);
        return f.vms().get(0);
    }

    private Vm bareVm(String name, List<String> nicIds) {
        return w.add(new Vm(World.vmId(RG, name), name, SUB, RG, LOC, Map.of(), false, nicIds));
    }

    @Test
    void compliantWhenListedWithEveryBaselinePort() {
        Vm vm = w.vm("web1");
        JitPolicy p = w.policy(RG, LOC, "default", entry(vm, defaultRules()));
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.COMPLIANT);
        assertThat(f.policyId()).isEqualTo(p.id());
        assertThat(f.gaps()).isEmpty();
        assertThat(f.reason()).isEmpty();
    }

    @Test
    void stricterRulesAreCovered() {
        Vm vm = w.vm("web1");
        w.policy(RG, LOC, "default", entry(vm, List.of(rule(22, "TCP", "PT1H", "10.1.0.0/16"),
                rule(3389, "UDP", "PT5M", "10.2.0.4"), rule(5985, "TCP", "PT3H", "10.0.0.0/8", "192.168.1.0/24"),
                rule(5986, "*", "PT2H", "10.0.0.1"), rule(8080, "*", "P1D", "*"))));
        assertThat(only().state()).isEqualTo(VmState.COMPLIANT);
    }

    @Test
    void idsRgAndLocationCompareCaseInsensitively() {
        Vm vm = w.vm("RG1", "WestEurope", "Web1");
        w.policies.add(new JitPolicy(io.jitguard.evaluate.PolicyNaming.policyId(SUB, "rg1", "westeurope", "default"),
                SUB, "rg1", "westeurope", "default",
                List.of(new io.jitguard.model.JitVm(vm.id().toLowerCase(), defaultRules())), "{}"));
        assertThat(only().state()).isEqualTo(VmState.COMPLIANT);
    }

    @Test
    void looseWithEveryKindOfGap() {
        Vm vm = w.vm("web1");
        JitPolicy p = w.policy(RG, LOC, "ops", entry(vm, List.of(rule(22, "*", "PT3H", "*"),
                rule(3389, "TCP", "PT8H", "*"), rule(5986, "*", "PT1H", "*"))));
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.LOOSE);
        assertThat(f.policyId()).isEqualTo(p.id());
        assertThat(f.gaps()).containsExactly("tighten port 3389 maxRequestAccessDuration PT8H -> PT3H",
                "add port 5985");
        assertThat(f.reason()).contains("policy ops is looser than the baseline");
    }

    @Test
    void looseWhenBaselineHasSpecificSourcesAndARuleAllowsAny() {
        Vm vm = w.vm("web1");
        w.policy(RG, LOC, "default", entry(vm, List.of(rule(22, "*", "PT3H", "*"),
                rule(3389, "*", "PT1H", "10.0.0.0/8"))));
        VmFinding f = only(narrow);
        assertThat(f.state()).isEqualTo(VmState.LOOSE);
        assertThat(f.gaps()).containsExactly("restrict port 22 sources * -> 10.0.0.0/8,192.168.0.0/16");
    }

    @Test
    void everyRuleOfABaselinePortCounts() {
        Vm vm = w.vm("web1");
        w.policy(RG, LOC, "default", entry(vm, List.of(rule(22, "TCP", "PT3H", "*"), rule(22, "UDP", "PT4H", "*"),
                rule(3389, "*", "PT3H", "*"), rule(5985, "*", "PT3H", "*"), rule(5986, "*", "PT3H", "*"))));
        assertThat(only().gaps()).containsExactly("tighten port 22 maxRequestAccessDuration PT4H -> PT3H");
    }

    @Test
    void missingWhenListedOnlyInAnotherLocationOrResourceGroup() {
        Vm vm = w.vm("web1");
        w.policy(RG, "northeurope", "default", entry(vm, defaultRules()));
        w.policy("rg2", LOC, "default", entry(vm, defaultRules()));
        JitPolicy here = w.policy(RG, LOC, "default");
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.MISSING);
        assertThat(f.policyId()).isEqualTo(here.id());
        assertThat(f.gaps()).containsExactly("add to policy default", "add port 22", "add port 3389",
                "add port 5985", "add port 5986");
    }

    @Test
    void missingTargetsANewDefaultWhenNoPolicyExists() {
        w.vm("web1");
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.MISSING);
        assertThat(f.policyId()).isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg1/providers/"
                + "Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default");
    }

    private static final java.time.LocalDate DAY = java.time.LocalDate.of(2026, 11, 25);
    private final Baseline tagsOn = new Baseline(Baseline.DEFAULT_PORTS, "*", List.of("*"),
            Baseline.DEFAULT_MAX_DURATION, io.jitguard.baseline.Mode.ENFORCE, List.of(),
            new io.jitguard.baseline.Exclusions(List.of(), "jitguard-exclude", true), null, null);

    private VmFinding onDay(Baseline b) {
        SubscriptionFindings f = Evaluator.evaluate(w.build(), b, DAY);
        assertThat(f.vms()).hasSize(1);
        return f.vms().get(0);
    }

    @Test
    void excludedByVmTagCaseInsensitive_whenTagsAreOn() {
        w.add(new Vm(World.vmId(RG, "x"), "x", SUB, RG, LOC, Map.of("JitGuard-Exclude", "2026-12-01"), true,
                List.of()));
        w.defenderPlan = DefenderPlan.FREE;
        VmFinding f = onDay(tagsOn);
        assertThat(f.state()).isEqualTo(VmState.EXCLUDED);
        assertThat(f.reason()).isEqualTo("tagged jitguard-exclude=2026-12-01 on the VM (excluded until 2026-12-01)");
    }

    @Test
    void excludedByResourceGroupTag_whenTagsAreOn() {
        w.vm("Rg1", LOC, "web1");
        w.resourceGroups.add(new ResourceGroup(SUB, "other", LOC, Map.of()));
        w.resourceGroups.add(new ResourceGroup(SUB, "RG1", LOC, Map.of("jitguard-exclude", "2026-12-01")));
        assertThat(onDay(tagsOn).state()).isEqualTo(VmState.EXCLUDED);
        assertThat(onDay(tagsOn).reason())
                .isEqualTo("tagged jitguard-exclude=2026-12-01 on resource group RG1 (excluded until 2026-12-01)");
    }

    @Test
    void aTagIsRefusedWhenTagsAreOff_orWhenItHasNoDay_andTheVmIsReconciled() {
        w.vm("web1");
        w.resourceGroups.add(new ResourceGroup(SUB, RG, LOC, Map.of("jitguard-exclude", "true")));
        VmFinding off = onDay(baseline);
        assertThat(off.state()).isEqualTo(VmState.MISSING);
        assertThat(off.findings().get(0).kind()).isEqualTo(FindingKind.EXCLUSION_REFUSED);
        assertThat(off.findings().get(0).reason()).startsWith("exclusion refused (tagged jitguard-exclude=true on "
                + "resource group " + RG + "): tag exclusions are off (JITGUARD_TAG_EXCLUSIONS)");
        VmFinding on = onDay(tagsOn);
        assertThat(on.state()).isEqualTo(VmState.MISSING);
        assertThat(on.findings().get(0).reason()).contains("must be the last day it applies");
        assertThat(on.jitWrites()).isNotEmpty();
    }

    @Test
    void tagOtherThanTrueDoesNotExclude() {
        w.add(new Vm(World.vmId(RG, "x"), "x", SUB, RG, LOC, Map.of("jitguard-exclude", "false"), false, List.of()));
        w.resourceGroups.add(new ResourceGroup(SUB, "rg1", LOC, Map.of("jitguard-exclude", "yes")));
        assertThat(only().state()).isEqualTo(VmState.UNSUPPORTED);
    }

    @Test
    void classicIsUnsupported() {
        w.vm("web1");
        Vm v = w.vms.remove(0);
        w.add(new Vm(v.id(), v.name(), SUB, RG, LOC, Map.of(), true, v.nicIds()));
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.UNSUPPORTED);
        assertThat(f.reason()).isEqualTo("classic VM: JIT supports only Azure Resource Manager VMs");
    }

    @Test
    void noNsgAnywhereIsUnsupported() {
        w.nics.add(new Nic("nic1", null, List.of(subnetId("vnet1", "a"))));
        w.subnets.add(new Subnet(subnetId("vnet1", "a"), null));
        w.firewalls.add(new Firewall("fw", List.of(subnetId("vnet2", "AzureFirewallSubnet"))));
        bareVm("web1", List.of("nic1"));
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.UNSUPPORTED);
        assertThat(f.reason()).isEqualTo(
                "no network security group on its NICs or subnets and no Azure Firewall in its virtual network");
    }

    @Test
    void unknownNicProtectsNothing() {
        bareVm("web1", List.of("nic-not-read"));
        assertThat(only().state()).isEqualTo(VmState.UNSUPPORTED);
    }

    @Test
    void unknownSubnetProtectsNothing() {
        w.nics.add(new Nic("nic1", null, List.of(subnetId("vnet1", "unread"))));
        bareVm("web1", List.of("NIC1"));
        assertThat(only().state()).isEqualTo(VmState.UNSUPPORTED);
    }

    @Test
    void subnetNsgProtects() {
        w.nics.add(new Nic("nic1", null, List.of(subnetId("vnet1", "a"))));
        w.subnets.add(new Subnet(subnetId("vnet1", "a").toUpperCase(), "nsg"));
        bareVm("web1", List.of("nic1"));
        assertThat(only().state()).isEqualTo(VmState.MISSING);
    }

    @Test
    void firewallInTheSameVnetProtects() {
        w.nics.add(new Nic("nic1", null, List.of(subnetId("vnet1", "a"))));
        w.firewalls.add(new Firewall("fw", List.of(subnetId("VNET1", "AzureFirewallSubnet"))));
        bareVm("web1", List.of("nic1"));
        assertThat(only().state()).isEqualTo(VmState.MISSING);
    }

    @Test
    void nameNoPolicyCanHoldIsUnsupported() {
        w.vm("v".repeat(56));
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.UNSUPPORTED);
        assertThat(f.reason()).contains("VM name is too long").contains("56");
        assertThat(f.policyId()).isNull();
    }

    @Test
    void fiftyFiveCharacterNameIsSupported() {
        w.vm("v".repeat(55));
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.MISSING);
        assertThat(f.policyId()).endsWith("/jitNetworkAccessPolicies/j");
    }

    @Test
    void blockedWithoutPlan2() {
        w.vm("web1");
        w.defenderPlan = new DefenderPlan("Standard", "P1");
        VmFinding f = only();
        assertThat(f.state()).isEqualTo(VmState.BLOCKED);
        assertThat(f.reason()).isEqualTo("Defender for Servers Plan 2 is not enabled (pricing Standard/P1)");
        w.defenderPlan = DefenderPlan.FREE;
        assertThat(only().reason()).isEqualTo("Defender for Servers Plan 2 is not enabled (pricing Free)");
    }

    @Test
    void unsupportedWinsOverBlocked() {
        bareVm("web1", List.of());
        w.defenderPlan = DefenderPlan.FREE;
        assertThat(only().state()).isEqualTo(VmState.UNSUPPORTED);
    }

    @Test
    void unreadableDurationIsLeftAloneAndNotLoose() {
        Vm vm = w.vm("web1");
        w.policy(RG, LOC, "default", entry(vm, List.of(
                new io.jitguard.model.PortRule(22, "*", null, List.of("*")), rule(3389, "*", "PT3H", "*"),
                rule(5985, "*", "PT3H", "*"), rule(5986, "*", "PT3H", "*"))));
        assertThat(only().state()).isEqualTo(VmState.COMPLIANT);
    }

    @Test
    void monitoringStates() {
        assertThat(monitoring(null).state()).isEqualTo(MonitoringState.COMPLIANT);
        assertThat(monitoring(null).effectBefore()).isNull();
        assertThat(monitoring(null).assignmentId()).endsWith("/policyAssignments/SecurityCenterBuiltIn");
        assertThat(monitoring("auditifnotexists").state()).isEqualTo(MonitoringState.COMPLIANT);
        assertThat(monitoring("Audit").state()).isEqualTo(MonitoringState.COMPLIANT);
        MonitoringFinding disabled = monitoring("Disabled");
        assertThat(disabled.state()).isEqualTo(MonitoringState.DISABLED);
        assertThat(disabled.effectBefore()).isEqualTo("Disabled");
        assertThat(monitoring("Deny").state()).isEqualTo(MonitoringState.DISABLED);

        w.assignment = Optional.empty();
        assertThat(Evaluator.evaluate(w.build(), baseline).monitoring().state()).isEqualTo(MonitoringState.MISSING);
        w.monitoringInScope = false;
        w.assignment = Optional.of(World.assignment("Disabled"));
        MonitoringFinding notInScope = Evaluator.evaluate(w.build(), baseline).monitoring();
        assertThat(notInScope.state()).isEqualTo(MonitoringState.NOT_IN_SCOPE);
        assertThat(notInScope.subscriptionId()).isEqualTo(SUB);
    }

    private MonitoringFinding monitoring(String effect) {
        w.assignment = Optional.of(World.assignment(effect));
        return Evaluator.evaluate(w.build(), baseline).monitoring();
    }
}
