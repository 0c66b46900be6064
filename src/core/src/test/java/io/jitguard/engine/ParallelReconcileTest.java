package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.arm.Arm;
import io.jitguard.EmulatorArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run that reads scopes and writes policies on several threads decides and counts exactly like one that does not. */
class ParallelReconcileTest {
    /** The engine's, the reader's and the emulator's clock. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    record Outcome(Report report, long emulatorReads, long emulatorWrites) {
    }

    static Outcome sweep(int parallelism) {
        try (ArmEmulator emulator = ArmEmulator.start(Estate.synthetic(6, 30, 0.3, 11), 0, EmulatorTls.tlsDir(),
                CLOCK)) {
            Arm arm = EmulatorArm.of(emulator);
            Reconciler jitguard = new Reconciler(new ArmInventory(arm, CLOCK), arm, Baseline.defaults(),
                    new InProcessPolicyLocks(), CLOCK, parallelism);
            List<Scope> scopes = new ArmInventory(arm, CLOCK).subscriptions().stream().<Scope>map(SubscriptionScope::new).toList();
            emulator.stats().reset();
            Report report = jitguard.reconcile(scopes, new RunOptions(false, "test"));
            return new Outcome(report, emulator.stats().reads(), emulator.stats().writes());
        }
    }

    @Test
    void parallelSweepWritesTheSamePoliciesAndCountsEveryCallOfTheRun() {
        Outcome one = sweep(1);
        Outcome eight = sweep(8);

        assertThat(eight.report().writes()).isNotEmpty().isEqualTo(one.report().writes());
        assertThat(eight.report().vms()).extracting(VmReport::id, VmReport::status)
                .isEqualTo(one.report().vms().stream().map(v -> org.assertj.core.groups.Tuple.tuple(v.id(), v.status()))
                        .toList());
        // calls made on worker threads count for the run: the report agrees with what the emulator served
        assertThat(eight.report().armCalls().reads()).isEqualTo(eight.emulatorReads()).isEqualTo(one.emulatorReads());
        assertThat(eight.report().armCalls().writes()).isEqualTo(eight.emulatorWrites()).isEqualTo(one.emulatorWrites());
        assertThat(one.report().armCalls().reads()).isEqualTo(one.emulatorReads());
    }
}
