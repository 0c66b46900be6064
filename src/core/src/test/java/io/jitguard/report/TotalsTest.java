package io.jitguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.arm.ArmCalls;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TotalsTest {
    static String id(String name) {
        return "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/" + name;
    }

    static Exposure exposure(String severity) {
        return new Exposure(List.of(new Exposure.Port("open", 22, "/nsg/n", "allow", 100, "Internet", severity)),
                List.of());
    }

    static Report report(List<VmReport> vms) {
        return new Report("enforce", false, "t", Instant.EPOCH, Instant.EPOCH, List.of(), List.of(), vms, List.of(),
                List.of(), List.of(), new ArmCalls(0, 0));
    }

    @Test
    void aCoveredButExposedVmIsCoveredNotClosedAndNeedsAction() {
        Totals t = report(List.of(new VmReport(id("a"), VmStatus.EXPOSED, "open", List.of(), "/p",
                exposure("HIGH")))).totals();
        assertThat(t.covered()).isEqualTo(1);
        assertThat(t.closed()).isZero();
        assertThat(t.needsAction()).isEqualTo(1);
        assertThat(ReportText.headline(t)).isEqualTo(
                "1 VM needs action; 1 covered, 0 closed (covered and not exposed); 0 excluded");
    }

    @Test
    void everyStatusCountsOnceAndOnlyCoveredOnesCanBeClosed() {
        List<VmReport> vms = new java.util.ArrayList<>();
        for (VmStatus s : VmStatus.values()) {
            vms.add(new VmReport(id(s.label()), s, "", List.of(), null));
        }
        Totals t = report(vms).totals();
        long remains = java.util.Arrays.stream(VmStatus.values()).filter(VmStatus::remains).count();
        assertThat(t.needsAction()).isEqualTo(remains);
        assertThat(t.covered()).isEqualTo(3);
        assertThat(t.closed()).isEqualTo(2);
        assertThat(t.excluded()).isEqualTo(1);
    }

    @Test
    void worstFirstPutsInternetExposureFirstAndCompliantLast() {
        List<VmReport> vms = List.of(
                new VmReport(id("ok"), VmStatus.COMPLIANT, "", List.of(), null),
                new VmReport(id("fixed"), VmStatus.FIXED, "", List.of("add port 22"), null),
                new VmReport(id("excluded"), VmStatus.EXCLUDED, "", List.of(), null),
                new VmReport(id("would"), VmStatus.WOULD_FIX, "", List.of(), null),
                new VmReport(id("blocked"), VmStatus.BLOCKED, "", List.of(), null),
                new VmReport(id("failed"), VmStatus.FAILED, "", List.of(), null),
                new VmReport(id("medium"), VmStatus.EXPOSED, "", List.of(), null, exposure("MEDIUM")),
                new VmReport(id("would-high"), VmStatus.WOULD_FIX, "", List.of(), null, exposure("HIGH")));
        assertThat(WorstFirst.sort(vms)).extracting(v -> v.id().substring(v.id().lastIndexOf('/') + 1))
                .containsExactly("would-high", "medium", "failed", "blocked", "would", "excluded", "fixed", "ok");
    }
}
