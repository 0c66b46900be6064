package io.jitguard.engine;

import static io.jitguard.engine.RealTenantTest.GONE;
import static io.jitguard.engine.RealTenantTest.POLICY;
import static io.jitguard.engine.RealTenantTest.PROD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.ArmOperation;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.Scope;
import io.jitguard.scope.VmScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deleted VM must not block a new one on the event path: a VM-scope reconcile (one VM, or a burst read in bulk)
 * next to a JIT policy entry of a deleted VM, through the real SDK against the emulator, which refuses a PUT naming a
 * VM that does not exist (400, naming it), as Defender may.
 */
class DeletedVmEventTest extends EditedEstate {
    static final VmScope NEW_VM = new VmScope(PROD, "rg-web", "vm-web-2");

    Report reconcile(List<Scope> scopes) {
        return jitguard.reconcile(scopes, new RunOptions(false, "event-grid"));
    }

    List<String> entries() {
        return arm.get(ArmOperation.GET_JIT_POLICY, POLICY).at("/properties/virtualMachines").findValuesAsText("id");
    }

    @Test
    void aRefusedPutOfAVmEventIsRetriedOnceWithoutTheConfirmedDeletedEntry() throws Exception {
        start(RealTenantTest::withDeletedVmEntry);
        emulator.stats().reset();
        Report report = reconcile(List.of(NEW_VM));

        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(entries()).noneMatch(id -> id.equalsIgnoreCase(GONE)).anyMatch(id -> id.endsWith("/vm-web-2"))
                .anyMatch(id -> id.endsWith("/vm-web-1")).anyMatch(id -> id.endsWith("/vm-web-3"));
        JsonNode policy = arm.get(ArmOperation.GET_JIT_POLICY, POLICY);
        assertThat(policy.at("/properties/requests/0/requestor").asText()).isEqualTo("alice@example.com");
        assertThat(policy.at("/properties/requests/0/virtualMachines/0/id").asText()).isEqualTo(GONE);
        assertThat(emulator.stats().count("PUT jitNetworkAccessPolicies")).as("refused once, retried once")
                .isEqualTo(2);
        VmReport gone = report.vms().stream().filter(v -> v.id().equalsIgnoreCase(GONE)).findFirst().orElseThrow();
        assertThat(gone.status()).isEqualTo(VmStatus.FIXED);
        assertThat(gone.changes()).containsExactly("remove entry of deleted VM " + GONE);
        assertThat(report.vms()).filteredOn(v -> v.id().endsWith("/vm-web-2")).singleElement()
                .satisfies(v -> assertThat(v.status()).isIn(VmStatus.FIXED, VmStatus.EXPOSED));
    }

    @Test
    void aBurstOfVmEventsRemovesTheConfirmedDeletedEntryBeforeTheWrite() throws Exception {
        start(RealTenantTest::withDeletedVmEntry);
        emulator.stats().reset();
        Report report = reconcile(List.of(NEW_VM, new VmScope(PROD, "rg-web", "vm-web-1"),
                new VmScope(PROD, "rg-web", "vm-web-3")));

        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(entries()).noneMatch(id -> id.equalsIgnoreCase(GONE)).anyMatch(id -> id.endsWith("/vm-web-2"));
        assertThat(emulator.stats().count("PUT jitNetworkAccessPolicies")).as("one write, never refused")
                .isEqualTo(1);
        assertThat(report.vms()).filteredOn(v -> v.id().equalsIgnoreCase(GONE)).singleElement()
                .satisfies(v -> assertThat(v.status()).isEqualTo(VmStatus.FIXED));
    }

    @Test
    void aVmEventWithNoStaleEntryReadsNoVmListingAndNoOtherVm() throws Exception {
        start(e -> { });
        emulator.stats().reset();
        Report report = reconcile(List.of(NEW_VM));

        assertThat(report.failures()).isEmpty();
        assertThat(report.writes()).containsExactly(POLICY);
        // the VM itself is the one VM read: no listing of the group, no GET of the policy's other VMs
        assertThat(emulator.stats().count("GET virtualMachines")).isEqualTo(1);
        assertThat(emulator.stats().count("PUT jitNetworkAccessPolicies")).isEqualTo(1);
    }

    @Test
    void anEntryWhoseGetIsForbiddenIsNeverRemovedAndTheRefusalStands() throws Exception {
        start(RealTenantTest::withDeletedVmEntry);
        emulator.faults().script(ScriptedFault.status("GET", "virtualMachines/vm-gone", 403, 50));
        Report report = reconcile(List.of(NEW_VM));

        assertThat(entries()).contains(GONE).noneMatch(id -> id.endsWith("/vm-web-2"));
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo(POLICY);
            assertThat(f.status()).isEqualTo(400);
            assertThat(f.message()).contains("vm-gone");
        });
        assertThat(emulator.stats().count("PUT jitNetworkAccessPolicies")).as("no retry without confirmation")
                .isEqualTo(1);
    }

    @Test
    void aRefusalThatNamesNoVmOfThePolicyStandsAndCostsNoVmRead() throws Exception {
        start(e -> { });
        emulator.faults().script(ScriptedFault.status("PUT", "jitNetworkAccessPolicies/default", 400, 1));
        emulator.stats().reset();
        Report report = reconcile(List.of(NEW_VM));

        assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.status()).isEqualTo(400));
        assertThat(emulator.stats().count("GET virtualMachines")).as("the VM itself only").isEqualTo(1);
        assertThat(entries()).noneMatch(id -> id.endsWith("/vm-web-2"));
    }
}
