package io.jitguard.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.arm.ArmCalls;
import io.jitguard.report.Exposure;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.ResourceGroupScope;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision log's {@code exposed} result (infra's alert queries {@code result == "exposed"}). */
class OutcomesExposureTest {
    static final String RG = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-web";
    static final String POLICY = RG + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
    static final Exposure OPEN_22 = new Exposure(List.of(new Exposure.Port("open", 22,
            RG + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web", "allow-ssh", 300, "Internet", "HIGH")),
            List.of());

    static Report report(boolean dryRun, List<String> writes, VmReport... vms) {
        return new Report("enforce", dryRun, "test", Instant.EPOCH, Instant.EPOCH, List.of(RG), List.of(),
                List.of(vms), writes, List.of(), List.of(), new ArmCalls(1, 0));
    }

    static VmReport vm(String name, VmStatus status, Exposure exposure) {
        return new VmReport(RG + "/providers/Microsoft.Compute/virtualMachines/" + name, status,
                status == VmStatus.EXPOSED ? "exposed: 22" : "", List.of(), POLICY, exposure);
    }

    /** The decision of a timer run: the scope's outcome, computed once by core, in the decision's words. */
    static Decision decide(Report report, ResourceGroupScope scope) {
        return Findings.describe(Decision.of("timer", "1"), report, scope, ScopeOutcomes.of(report, scope));
    }

    @Test
    void aScopeWhoseOnlyRemainingFindingIsExposureEndsExposed() {
        Decision d = decide(report(false, List.of(POLICY),
                vm("vm-web-1", VmStatus.EXPOSED, OPEN_22), vm("vm-web-2", VmStatus.FIXED, null)),
                new ResourceGroupScope("11111111-1111-1111-1111-111111111111", "rg-web"));
        assertThat(d.result()).isEqualTo("exposed");
        assertThat(d.reason()).contains("vm-web-1 exposed");
        assertThat(d.action()).startsWith("wrote 1");
    }

    @Test
    void otherRemainingFindingsStillSayFindingsRemain() {
        Decision d = decide(report(false, List.of(),
                vm("vm-web-1", VmStatus.EXPOSED, OPEN_22), vm("vm-web-2", VmStatus.BLOCKED, null)),
                new ResourceGroupScope("11111111-1111-1111-1111-111111111111", "rg-web"));
        assertThat(d.result()).isEqualTo("findings-remain");
    }

    @Test
    void withoutExposureTheResultIsUnchanged() {
        Decision d = decide(report(false, List.of(),
                vm("vm-web-1", VmStatus.COMPLIANT, null)),
                new ResourceGroupScope("11111111-1111-1111-1111-111111111111", "rg-web"));
        assertThat(d.result()).isEqualTo("compliant");
    }
}
