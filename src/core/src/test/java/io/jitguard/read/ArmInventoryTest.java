package io.jitguard.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmException;
import io.jitguard.EmulatorArm;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.Vm;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ArmInventory over HTTPS ({@link EmulatorArm}) against the emulator's example estate (one page per list: reads are easy to count). */
class ArmInventoryTest {
    static final String A = "11111111-1111-1111-1111-111111111111";
    static final String B = "22222222-2222-2222-2222-222222222222";
    static final String C = "33333333-3333-3333-3333-333333333333";
    static ArmEmulator emulator;
    EmulatorArm arm;
    ArmInventory inventory;

    @BeforeAll
    static void start() {
        emulator = ArmEmulator.start(Estate.load(Path.of("examples", "estate.json")).withPageSize(1000), 0);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void connect() {
        emulator.faults().clear();
        arm = EmulatorArm.of(emulator);
        inventory = new ArmInventory(arm);
    }

    ObservedSubscription read(Scope scope, long expectedReads) {
        ObservedSubscription observed = inventory.read(scope);
        assertThat(arm.calls()).as("reads for " + scope.id()).isEqualTo(new ArmCalls(expectedReads, 0));
        return observed;
    }

    /** {@link #read}, then its exposure completed with {@code exposureReads} more reads (admin rules, NSGs). */
    ObservedSubscription readWithExposure(Scope scope, long expectedReads, long exposureReads) {
        ObservedSubscription observed = read(scope, expectedReads);
        assertThat(observed.adminRules()).as("admin rules are left to completeExposure").isEmpty();
        ObservedSubscription completed = inventory.completeExposure(observed);
        assertThat(arm.calls()).as("exposure reads for " + scope.id())
                .isEqualTo(new ArmCalls(expectedReads + exposureReads, 0));
        return completed;
    }

    @Test
    void listsSubscriptions() {
        assertThat(inventory.subscriptions()).containsExactly(A, B, C);
    }

    @Test
    void subscriptionScopeReadsInBulkAndJoinsInMemory() {
        ObservedSubscription s = readWithExposure(new SubscriptionScope(A), 11, 4); // 11 lists; exposure: AVNM admin rules of its 4 VNets with VMs
        assertThat(s.subscriptionId()).isEqualTo(A);
        assertThat(s.monitoringInScope()).isTrue();
        assertThat(s.defenderPlan().enablesJit()).isTrue();
        assertThat(s.assignment()).hasValueSatisfying(a -> {
            assertThat(a.effect()).isEqualTo("Disabled");
            assertThat(a.json()).contains("diskEncryptionMonitoringEffect");
        });
        assertThat(s.resourceGroups()).extracting(g -> g.name()).containsExactly("rg-web", "rg-data", "rg-lab", "rg-legacy");
        assertThat(s.resourceGroups().get(2).tags()).containsEntry("jitguard-exclude", "true");
        assertThat(s.vms()).hasSize(10);
        assertThat(s.vms()).filteredOn(Vm::classic).extracting(Vm::name).containsExactly("vm-classic-1");
        Vm web1 = s.vms().stream().filter(v -> v.name().equals("vm-web-1")).findFirst().orElseThrow();
        assertThat(web1.resourceGroup()).isEqualTo("rg-web");
        assertThat(web1.subscriptionId()).isEqualTo(A);
        assertThat(web1.location()).isEqualTo("westeurope");
        assertThat(web1.nicIds()).singleElement().asString().endsWith("/vm-web-1-nic");
        assertThat(s.vms().stream().filter(v -> v.name().equals("vm-web-excluded")).findFirst().orElseThrow().tags())
                .containsEntry("jitguard-exclude", "true");
        assertThat(s.nics()).hasSize(9);
        assertThat(s.nics()).filteredOn(n -> n.id().endsWith("/vm-web-1-nic")).singleElement()
                .satisfies(n -> assertThat(n.nsgId()).endsWith("/nsg-web"));
        assertThat(s.subnets()).extracting(n -> n.id().substring(n.id().lastIndexOf('/') + 1))
                .containsExactlyInAnyOrder("snet-web", "snet-db", "snet-app", "AzureFirewallSubnet", "snet-spoke", "snet-lab");
        assertThat(s.subnets()).filteredOn(n -> n.id().endsWith("/snet-db")).singleElement()
                .satisfies(n -> assertThat(n.nsgId()).endsWith("/nsg-snet-db"));
        assertThat(s.firewalls()).singleElement().satisfies(f -> assertThat(f.subnetIds()).singleElement().asString()
                .endsWith("/AzureFirewallSubnet"));
        JitPolicy policy = s.policies().get(0);
        assertThat(s.policies()).hasSize(1);
        assertThat(policy.name()).isEqualTo("default");
        assertThat(policy.location()).isEqualTo("westeurope");
        assertThat(policy.resourceGroup()).isEqualTo("rg-web");
        assertThat(policy.subscriptionId()).isEqualTo(A);
        assertThat(policy.virtualMachines()).extracting(v -> v.id().substring(v.id().lastIndexOf('/') + 1))
                .containsExactly("vm-web-1", "vm-web-3");
        assertThat(policy.virtualMachines().get(0).ports()).isNotEmpty()
                .allSatisfy(p -> assertThat(p.number()).isBetween(0, 65535));
        assertThat(policy.json()).contains("\"virtualMachines\"");
    }

    @Test
    void exposureAddedToThePlansFindingsIsTheFullEvaluationOfTheCompletedRead() {
        io.jitguard.baseline.Baseline baseline = io.jitguard.baseline.Baseline.defaults();
        java.time.LocalDate day = java.time.LocalDate.of(2026, 12, 7);
        java.util.List<io.jitguard.evaluate.VmFinding> all = new java.util.ArrayList<>();
        for (String sub : java.util.List.of(A, B, C)) {
            ObservedSubscription read = inventory.read(new SubscriptionScope(sub));
            ObservedSubscription completed = inventory.completeExposure(read);
            var forPlan = io.jitguard.evaluate.Evaluator.evaluateForPlan(read, baseline, day);
            var full = io.jitguard.evaluate.Evaluator.evaluate(completed, baseline, day);

            assertThat(io.jitguard.evaluate.Evaluator.withExposure(forPlan, completed, baseline, day)).as(sub)
                    .isEqualTo(full);
            all.addAll(full.vms());
        }
        // the example estate has VMs exposed by an NSG rule: the comparison covers exposure findings
        assertThat(all).anyMatch(v -> v.findings().stream()
                .anyMatch(f -> f.kind() == io.jitguard.evaluate.FindingKind.EXPOSED));
    }

    @Test
    void subscriptionReadsDoNotGrowWithVmCount() {
        readWithExposure(new SubscriptionScope(B), 11, 1); // 11 lists; exposure: AVNM admin rules of its VNet
        arm = EmulatorArm.of(emulator);
        inventory = new ArmInventory(arm);
        ObservedSubscription c = readWithExposure(new SubscriptionScope(C), 11, 1);
        assertThat(c.assignment()).isEmpty(); // C has no SecurityCenterBuiltIn: 404 → absent
    }

    @Test
    void resourceGroupScopeWithNsgsSkipsFirewalls() {
        ObservedSubscription s = readWithExposure(new ResourceGroupScope(A, "rg-web"), 8, 1); // rg, vms, classic, nics, 1 subnet, jit, pricing, NSGs; exposure: admin rules of vnet-web
        assertThat(s.monitoringInScope()).isFalse();
        assertThat(s.assignment()).isEmpty();
        assertThat(s.vms()).extracting(Vm::name).containsExactly("vm-web-1", "vm-web-2", "vm-web-3",
                "vm-web-with-a-very-long-name-for-the-reporting-tier-01", "vm-web-excluded");
        assertThat(s.resourceGroups()).singleElement().satisfies(g -> assertThat(g.tags()).containsEntry("env", "prod"));
        assertThat(s.subnets()).singleElement().satisfies(n -> assertThat(n.id()).endsWith("/snet-web"));
        assertThat(s.firewalls()).isEmpty();
        assertThat(s.policies()).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("default"));
    }

    @Test
    void resourceGroupScopeReadsFirewallsWhenAVmLacksAnNsg() {
        ObservedSubscription s = readWithExposure(new ResourceGroupScope(A, "rg-data"), 11, 2); // + 3 subnets + firewalls + NSGs; exposure: admin rules of 2 VNets
        assertThat(s.vms()).extracting(Vm::name).containsExactly("vm-db-1", "vm-nonsg", "vm-behind-fw");
        assertThat(s.firewalls()).hasSize(1);
        assertThat(s.subnets()).hasSize(3);
        assertThat(s.policies()).isEmpty();
    }

    @Test
    void resourceGroupScopeWithLocationKeepsThatLocationOnly() {
        ObservedSubscription s = read(new ResourceGroupScope(A, "rg-web", Optional.of("northeurope")), 6);
        assertThat(s.vms()).isEmpty();
        assertThat(s.policies()).isEmpty();
        ObservedSubscription west = inventory.read(new ResourceGroupScope(A, "rg-web", Optional.of("westeurope")));
        assertThat(west.vms()).hasSize(5);
        assertThat(west.policies()).hasSize(1);
    }

    @Test
    void classicVmsAreMarked() {
        ObservedSubscription s = read(new ResourceGroupScope(A, "rg-legacy"), 6);
        assertThat(s.vms()).singleElement().satisfies(v -> {
            assertThat(v.classic()).isTrue();
            assertThat(v.nicIds()).isEmpty();
        });
    }

    @Test
    void vmScopeReadsOnlyThatVm() {
        ObservedSubscription s = read(new VmScope(A, "rg-web", "vm-web-1"), 6); // vm, rg, nic, subnet, jit at rg+loc, pricing
        assertThat(s.vms()).singleElement().satisfies(v -> assertThat(v.name()).isEqualTo("vm-web-1"));
        assertThat(s.nics()).hasSize(1);
        assertThat(s.subnets()).hasSize(1);
        assertThat(s.firewalls()).isEmpty();
        assertThat(s.policies()).singleElement().satisfies(p -> assertThat(p.location()).isEqualTo("westeurope"));
        assertThat(s.monitoringInScope()).isFalse();
        assertThat(s.nsgs()).as("exposure's documents: read after the write").isEmpty();
        assertThat(s.adminRules()).isEmpty();

        ObservedSubscription complete = inventory.completeExposure(s);
        // its NSG and its virtual network's admin rules; nothing else read again
        assertThat(arm.calls()).isEqualTo(new ArmCalls(6 + 2, 0));
        assertThat(complete.nsgs()).extracting(n -> n.id().substring(n.id().lastIndexOf('/') + 1))
                .containsExactly("nsg-web");
        assertThat(complete.adminRules()).containsOnlyKeys(
                ("/subscriptions/" + A + "/resourceGroups/rg-web/providers/Microsoft.Network/virtualNetworks/vnet-web")
                        .toLowerCase(java.util.Locale.ROOT));
        assertThat(complete.vms()).isEqualTo(s.vms());
        assertThat(complete.policies()).isEqualTo(s.policies());
    }

    @Test
    void vmScopeBehindAFirewallReadsFirewalls() {
        ObservedSubscription s = read(new VmScope(A, "rg-data", "vm-behind-fw"), 7); // its firewalls, no NSG
        assertThat(s.firewalls()).hasSize(1);
        assertThat(s.subnets()).singleElement().satisfies(n -> assertThat(n.nsgId()).isNull());
    }

    @Test
    void missingVmIsNotFoundNotAnEmptyScope() {
        // issue 10: a VM id that does not exist used to read as "nothing to do" (0 compliant ... 0 failed, exit 0)
        assertThatThrownBy(() -> inventory.read(new VmScope(A, "rg-web", "gone")))
                .isInstanceOfSatisfying(io.jitguard.arm.ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("gone").contains("does not exist");
                });
    }

    @Test
    void missingResourceGroupIsNotFound() {
        assertThatThrownBy(() -> inventory.read(new ResourceGroupScope(A, "rg-nope")))
                .isInstanceOfSatisfying(io.jitguard.arm.ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("ResourceGroupNotFound");
                });
    }

    @Test
    void monitoringScopeReadsPricingAssignmentAndExemptionsOnly() {
        ObservedSubscription s = read(new MonitoringScope(A), 3); // issue 9: + the policy-exemption list
        assertThat(s.monitoringInScope()).isTrue();
        assertThat(s.vms()).isEmpty();
        assertThat(s.assignment()).hasValueSatisfying(a -> assertThat(a.effect()).isEqualTo("Disabled"));
    }

    @Test
    void permanentFailuresPropagate() {
        emulator.faults().script(ScriptedFault.status("GET", "/providers/Microsoft.Network/networkInterfaces", 403, 1));
        assertThatThrownBy(() -> inventory.read(new SubscriptionScope(A)))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.status()).isEqualTo(403));
    }
}
