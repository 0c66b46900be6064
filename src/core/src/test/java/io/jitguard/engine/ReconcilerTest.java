package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.Arm;
import io.jitguard.EmulatorArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.VmScope;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipeline's write discipline against the emulator. */
class ReconcilerTest {
    static final String PROD = "11111111-1111-1111-1111-111111111111";
    static final String POLICY = "/subscriptions/" + PROD + "/resourceGroups/rg-web/providers/Microsoft.Security/"
            + "locations/westeurope/jitNetworkAccessPolicies/default";
    /** The engine's, the reader's and the emulator's clock: a fixed instant, so no test depends on when it runs. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    ArmEmulator emulator;
    Reconciler jitguard;
    InProcessPolicyLocks locks = new InProcessPolicyLocks();

    @BeforeEach
    void start() {
        emulator = ArmEmulator.start(Estate.load(Path.of("examples/estate.json")), 0, EmulatorTls.tlsDir(), CLOCK);
        Arm arm = EmulatorArm.of(emulator);
        jitguard = new Reconciler(new ArmInventory(arm, CLOCK), arm, Baseline.defaults(), locks, CLOCK);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void aPolicyDocumentThatCannotBeKeptWholeIsNotWritten() {
        ObjectNode policy = emulator.resource(POLICY).orElseThrow();
        ((ObjectNode) policy.get("properties")).put("virtualMachines", "not-an-array");
        emulator.putResource(policy);

        Report report = jitguard.reconcile(List.of(new VmScope(PROD, "rg-web", "vm-web-2")),
                new RunOptions(false, "test"));

        assertThat(report.writes()).isEmpty();
        assertThat(emulator.stats().writes()).isZero();
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("UnmergeablePolicy");
            assertThat(f.retryable()).isFalse();
        });
    }

    @Test
    void aWriteIsVerifiedByThePutsAnswerAndReadBackOnceAtTheEndOfTheRun() {
        Report report = jitguard.reconcile(List.of(new VmScope(PROD, "rg-web", "vm-web-2")),
                new RunOptions(false, "test"));

        assertThat(report.vms()).extracting(VmReport::status).containsExactly(VmStatus.FIXED);
        assertThat(emulator.stats().byOperation()).containsEntry("PUT jitNetworkAccessPolicies", 1L);
        // the inventory's list, the resource group + location list under the lock whose document of the policy starts
        // the write (no separate GET of it), and the end-of-run read-back that catches a writer without our lock
        // replacing the policy after our PUT; the PUT's answer (the stored document) verifies the write: no GET
        assertThat(emulator.stats().byOperation().get("GET jitNetworkAccessPolicies")).isEqualTo(3L);
    }

    @Test
    void aRunWithABudgetGivesUpWaitingForAPolicyLockAnotherWriterHolds() throws Exception {
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            // While this thread holds the policy's lock, a run with a budget must come back on its own: it may not
            // sit behind the lock past its deadline (an Event Grid invocation has 30 s). The clock stands still, so
            // the lock wait is the whole budget: the run gives up when the lock's own timed wait ends.
            Report report = locks.withLock(POLICY, () -> {
                try {
                    return other.submit(() -> jitguard.reconcile(List.of(new VmScope(PROD, "rg-web", "vm-web-2")),
                            new RunOptions(false, "test").withBudget(java.time.Duration.ofSeconds(3), CLOCK)))
                            .get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(report.writes()).isEmpty();
            assertThat(emulator.stats().writes()).isZero();
            assertThat(report.failures()).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo("LockUnavailable");
                assertThat(f.retryable()).isTrue();
            });
            assertThat(report.vms()).extracting(VmReport::status).containsExactly(VmStatus.FAILED);
        } finally {
            other.shutdownNow();
        }
    }
}
