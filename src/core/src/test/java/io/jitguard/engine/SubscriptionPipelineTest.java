package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.EmulatorArm;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.ConcurrentReads;
import io.jitguard.arm.ForwardingArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
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
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each subscription goes on to its writes once its own reads are in: none waits for another's reads. */
class SubscriptionPipelineTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
    static final Estate ESTATE = Estate.synthetic(2, 40, 0.5, 5);
    static final String A = ESTATE.subscriptions().get(0).subscriptionId();
    static final String B = ESTATE.subscriptions().get(1).subscriptionId();

    final ArmEmulator emulator = ArmEmulator.start(ESTATE, 0);
    final Arm emulated = EmulatorArm.of(emulator);

    @AfterEach
    void stop() {
        emulator.close();
    }

    Report sweep(Arm arm, int parallelism) {
        return new Reconciler(new ArmInventory(arm, CLOCK, ConcurrentReads.bounded(arm, parallelism)), arm,
                Baseline.defaults(), new InProcessPolicyLocks(), CLOCK, parallelism)
                .reconcile(List.<Scope>of(new SubscriptionScope(A), new SubscriptionScope(B)),
                        new RunOptions(false, "test"));
    }

    @Test
    void aSubscriptionIsWrittenWhileAnotherIsStillBeingRead() throws Exception {
        // B's VM list is held until A's first policy PUT has gone out. A run that read every subscription before
        // writing any would hold it for ever: the latch gives up (and the test fails) after a minute.
        CountDownLatch aWritten = new CountDownLatch(1);
        AtomicBoolean bHeldUntilAWrote = new AtomicBoolean();
        Arm arm = new ForwardingArm(emulated) {
            @Override
            public List<com.fasterxml.jackson.databind.JsonNode> list(ArmOperation operation, String path) {
                if (operation == ArmOperation.LIST_VMS && path.toLowerCase(Locale.ROOT).startsWith("/subscriptions/" + B)) {
                    try {
                        bHeldUntilAWrote.set(aWritten.await(1, TimeUnit.MINUTES));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return delegate.list(operation, path);
            }

            @Override
            public com.fasterxml.jackson.databind.JsonNode put(ArmOperation operation, String path,
                                                             com.fasterxml.jackson.databind.JsonNode body) {
                if (operation == ArmOperation.PUT_JIT_POLICY && path.toLowerCase(Locale.ROOT).startsWith("/subscriptions/" + A)) {
                    aWritten.countDown();
                }
                return delegate.put(operation, path, body);
            }
        };

        Report report = sweep(arm, 4);

        assertThat(bHeldUntilAWrote).isTrue();
        assertThat(report.failures()).isEmpty();
        assertThat(report.writes()).anyMatch(w -> w.toLowerCase(Locale.ROOT).contains(A))
                .anyMatch(w -> w.toLowerCase(Locale.ROOT).contains(B));
    }

    @Test
    void theReportIsTheSameWhateverTheParallelism() {
        Report one = sweep(emulated, 1);
        try (ArmEmulator again = ArmEmulator.start(ESTATE, 0)) {
            Arm arm = EmulatorArm.of(again);
            Report many = sweep(arm, 8);
            assertThat(many.writes()).isEqualTo(one.writes());
            assertThat(many.vms()).extracting(VmReport::id).isEqualTo(one.vms().stream().map(VmReport::id).toList());
            assertThat(many.vms()).extracting(VmReport::status)
                    .isEqualTo(one.vms().stream().map(VmReport::status).toList());
            assertThat(many.subscriptions()).isEqualTo(one.subscriptions());
        }
    }
}
