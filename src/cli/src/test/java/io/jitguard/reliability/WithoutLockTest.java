package io.jitguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.ForwardingArm;
import io.jitguard.azure.ArmOptions;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.PolicyLocks;
import io.jitguard.report.Report;
import io.jitguard.report.VmStatus;
import io.jitguard.engine.RunOptions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The negative: why the lock exists. Two writers without a lock, forced into the interleaving
 * read A, read B, write A (verified by its PUT's answer), write B — B's PUT (built from its earlier read) drops A's
 * addition, and A's verification came too early to notice. The same two runs under the lock lose nothing.
 */
class WithoutLockTest {
    static final String VM2 = Fleet.vmId("rg-web", "vm-web-2");
    static final String VM3 = Fleet.vmId("rg-web", "vm-web-3");

    @Test
    void withoutALockAnAdditionIsLost() throws Exception {
        try (ArmEmulator emulator = Fleet.start(Fleet.example())) {
            CyclicBarrier bothRead = new CyclicBarrier(2);
            CountDownLatch aDone = new CountDownLatch(1);
            // B's stale PUT lands after A's whole run, its end-of-run read-back included: nothing A does can see it
            Jitguard a = Wiring.jitguard(emulator, choreographed(Wiring.arm(emulator, ArmOptions.DEFAULT), true,
                    bothRead, null, null), i -> i, NO_LOCK, Fleet.CLOCK);
            Jitguard b = Wiring.jitguard(emulator, choreographed(Wiring.arm(emulator, ArmOptions.DEFAULT), false,
                    bothRead, aDone, null), i -> i, NO_LOCK, Fleet.CLOCK);
            ExecutorService two = Executors.newFixedThreadPool(2);
            Future<Report> ra = two.submit(() -> {
                try {
                    return FaultsTest.fix(a, VM2, new RunOptions(false, "a"));
                } finally {
                    aDone.countDown();
                }
            });
            Future<Report> rb = two.submit(() -> FaultsTest.fix(b, VM3, new RunOptions(false, "b")));
            Report reportA = ra.get(60, TimeUnit.SECONDS);
            Report reportB = rb.get(60, TimeUnit.SECONDS);
            two.shutdown();

            // Both runs believe they succeeded …
            assertThat(FaultsTest.status(reportA, VM2)).isEqualTo(VmStatus.FIXED);
            assertThat(FaultsTest.status(reportB, VM3)).isEqualTo(VmStatus.FIXED);
            // … but A's addition is gone.
            assertThat(Fleet.uncovered(emulator, List.of(VM2, VM3), List.of(Fleet.POLICY))).containsExactly(VM2);
        }
    }

    /**
     * A second writer without shared storage: B's stale PUT lands after A verified its write (by the PUT's answer) but
     * before A's end-of-run read-back, which sees the loss and writes again: nothing is lost.
     */
    @Test
    void theEndOfRunReadBackRestoresWhatAWriterWithoutTheLockDropped() throws Exception {
        try (ArmEmulator emulator = Fleet.start(Fleet.example())) {
            CyclicBarrier bothRead = new CyclicBarrier(2);
            CountDownLatch aVerified = new CountDownLatch(1);
            CountDownLatch bWrote = new CountDownLatch(1);
            Jitguard a = Wiring.jitguard(emulator, choreographed(Wiring.arm(emulator, ArmOptions.DEFAULT), true,
                    bothRead, aVerified, bWrote), i -> i, NO_LOCK, Fleet.CLOCK);
            Jitguard b = Wiring.jitguard(emulator, choreographed(Wiring.arm(emulator, ArmOptions.DEFAULT), false,
                    bothRead, aVerified, bWrote), i -> i, NO_LOCK, Fleet.CLOCK);
            ExecutorService two = Executors.newFixedThreadPool(2);
            Future<Report> ra = two.submit(() -> FaultsTest.fix(a, VM2, new RunOptions(false, "a")));
            Future<Report> rb = two.submit(() -> FaultsTest.fix(b, VM3, new RunOptions(false, "b")));
            Report reportA = ra.get(60, TimeUnit.SECONDS);
            Report reportB = rb.get(60, TimeUnit.SECONDS);
            two.shutdown();

            assertThat(FaultsTest.status(reportA, VM2)).isEqualTo(VmStatus.FIXED);
            assertThat(FaultsTest.status(reportB, VM3)).isEqualTo(VmStatus.FIXED);
            assertThat(reportA.writes()).as("A wrote again after reading back its loss").hasSize(2);
            assertThat(Fleet.uncovered(emulator, List.of(VM2, VM3), List.of(Fleet.POLICY))).isEmpty();
        }
    }

    static final PolicyLocks NO_LOCK = new PolicyLocks() {
        @Override
        public <T> T withLock(String policyId, Supplier<T> work) {
            return work.get();
        }
    };

    @Test
    void theSameTwoRunsUnderTheLockLoseNothing() throws Exception {
        try (ArmEmulator emulator = ArmEmulator.start(Fleet.example(), 0)) {
            InProcessPolicyLocks locks = new InProcessPolicyLocks();
            Jitguard a = Fleet.jitguard(emulator, ArmOptions.DEFAULT, locks);
            Jitguard b = Fleet.jitguard(emulator, ArmOptions.DEFAULT, locks);
            ExecutorService two = Executors.newFixedThreadPool(2);
            Future<Report> ra = two.submit(() -> FaultsTest.fix(a, VM2, new RunOptions(false, "a")));
            Future<Report> rb = two.submit(() -> FaultsTest.fix(b, VM3, new RunOptions(false, "b")));
            ra.get(60, TimeUnit.SECONDS);
            rb.get(60, TimeUnit.SECONDS);
            two.shutdown();
            assertThat(Fleet.uncovered(emulator, List.of(VM2, VM3), List.of(Fleet.POLICY))).isEmpty();
        }
    }

    /**
     * A: reads, waits for B to read, writes, verified by the PUT's answer (and says so on {@code bMayWrite}); with
     * {@code bWrote} set, its next policy read (the end-of-run read-back) waits for B's write. B: reads, waits for
     * {@code bMayWrite}, writes (and says so on {@code bWrote}).
     */
    static Arm choreographed(Arm delegate, boolean isA, CyclicBarrier bothRead, CountDownLatch bMayWrite,
                             CountDownLatch bWrote) {
        return new ForwardingArm(delegate) {
            int policyGets;

            @Override
            public JsonNode get(ArmOperation operation, String path) {
                if (operation != ArmOperation.GET_JIT_POLICY) {
                    return delegate.get(operation, path);
                }
                policyGets++;
                if (isA && policyGets == 2 && bWrote != null) {
                    awaitLatch(bWrote);
                }
                JsonNode out = delegate.get(operation, path);
                if (policyGets == 1) {
                    await(bothRead);
                }
                return out;
            }

            int policyLists;

            @Override
            public List<JsonNode> list(ArmOperation operation, String path) {
                List<JsonNode> out = delegate.list(operation, path);
                // the second policy list is the one under the lock: its document of the policy starts the write
                // (issue 13: no GET of it), so it is the run's first policy read
                if (operation == ArmOperation.LIST_JIT_POLICIES && ++policyLists == 2) {
                    policyGets++;
                    await(bothRead);
                }
                return out;
            }

            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                if (!isA) {
                    awaitLatch(bMayWrite);
                }
                JsonNode out = delegate.put(operation, path, body);
                if (isA && bMayWrite != null) {
                    bMayWrite.countDown(); // A's write is verified: its PUT answered with the stored document
                }
                if (!isA && bWrote != null) {
                    bWrote.countDown();
                }
                return out;
            }
        };
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
