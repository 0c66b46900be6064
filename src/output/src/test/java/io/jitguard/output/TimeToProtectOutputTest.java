package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.report.Report;
import io.jitguard.report.TimeToProtect;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fixed VM's time to protect in the notification (its JSON and OCSF forms: core's and OCSF's tests). */
class TimeToProtectOutputTest {
    static final Instant PUT_AT = Instant.parse("2025-01-01T00:00:01Z");

    static Report with(TimeToProtect t) {
        Report r = Fixtures.report(false);
        List<VmReport> vms = new ArrayList<>(r.vms());
        vms.replaceAll(vm -> vm.status() == VmStatus.FIXED ? vm.withTimeToProtect(t) : vm);
        return new Report(r.mode(), r.dryRun(), r.trigger(), r.startedAt(), r.finishedAt(), r.scopes(),
                r.subscriptions(), vms, r.writes(), r.plannedWrites(), r.failures(), r.armCalls(), r.plannedChanges());
    }

    private static String fixedItem(Report report) {
        return Notification.of(report).orElseThrow().items().stream().filter(i -> i.startsWith("fixed: "))
                .findFirst().orElseThrow();
    }

    @Test
    void theNotificationSaysHowLongAFixedVmStoodOpenAndFromWhat() {
        assertThat(fixedItem(with(TimeToProtect.between(TimeToProtect.EVENT, PUT_AT.minusSeconds(66), PUT_AT))))
                .endsWith("(protected 66 s after the event)");
        assertThat(fixedItem(with(TimeToProtect.between(TimeToProtect.VM_CREATED, PUT_AT.minusSeconds(3600),
                PUT_AT)))).endsWith("(protected 3600 s after the VM was created)");
        assertThat(fixedItem(with(TimeToProtect.unknown(PUT_AT)))).endsWith("(protected; time to protect unknown)");
        assertThat(fixedItem(Fixtures.report(false))).doesNotContain("protected");
    }

    @Test
    void aStartAfterTheWriteIsZeroSecondsNeverNegative() {
        assertThat(TimeToProtect.between(TimeToProtect.EVENT, PUT_AT.plusSeconds(2), PUT_AT).seconds()).isZero();
    }
}
