package io.jitguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.Arm;
import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.SdkArm;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.engine.Inventory;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.Reconciler;
import io.jitguard.engine.RunOptions;
import io.jitguard.events.EventRouter;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.report.Failure;
import io.jitguard.report.Report;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariant 5 under ARM faults, the time budget, and the verification read after each write. */
class FaultsTest {
    /** Fast back-off so the suite stays quick; Retry-After still wins when ARM sends it. */
    static final ArmOptions FAST = new ArmOptions(4, Duration.ofSeconds(20), false, Duration.ofMillis(10),
            Duration.ofMillis(100));
    static final String VM_WEB_2 = Fleet.vmId("rg-web", "vm-web-2");

    ArmEmulator emulator;

    @BeforeEach
    void start() {
        emulator = Fleet.start(Fleet.example());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void mixedFaultsOnAQuarterOfCallsWithConcurrentEventsConvergeWithoutDuplicates() throws Exception {
        List<String> vms = Fleet.addWebVms(emulator, "vm-f", 30);
        JsonNode before = emulator.resource(Fleet.POLICY).orElseThrow();
        emulator.faults().rate(0.25).kinds("429", "500", "503", "reset", "slow").retryAfterSeconds(0).slowMs(30)
                .seed(20261123);
        SdkArm arm = Wiring.arm(emulator, FAST);
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), Fleet.CLOCK);

        // Event Grid redelivers an event whose run reported a retryable failure; permanent ones would be a bug here.
        List<String> pending = ConcurrencyTest.events(vms);
        int deliveries = 0;
        int rounds = 0;
        List<Failure> seen = new ArrayList<>();
        while (!pending.isEmpty() && rounds++ < 6) {
            deliveries += pending.size();
            List<Report> reports = ConcurrencyTest.handleConcurrently(jitguard, pending, 8);
            List<String> again = new ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                Report r = reports.get(i);
                seen.addAll(r.failures());
                assertThat(r.failures()).allSatisfy(f -> assertThat(f.retryable()).as(f.toString()).isTrue());
                // failed, never silently skipped: a run with a failure says so in the VM or scope it concerns
                if (!r.failures().isEmpty()) {
                    assertThat(r.vms().stream().anyMatch(v -> v.status() == VmStatus.FAILED)
                            || r.subscriptions().stream().anyMatch(s -> s.error() != null)).as(r.toString()).isTrue();
                    again.add(pending.get(i));
                } else {
                    assertThat(r.vms()).allSatisfy(v -> assertThat(v.status()).isIn(VmStatus.COMPLIANT, VmStatus.FIXED));
                }
            }
            pending = again;
        }
        assertThat(pending).as("events still failing after redeliveries").isEmpty();
        long faults = emulator.stats().faultsInjected();
        emulator.faults().clear();

        JsonNode after = emulator.resource(Fleet.POLICY).orElseThrow();
        assertThat(Fleet.lostEntries(before, after)).isEmpty();
        assertThat(after.path("properties").path("requests")).isEqualTo(before.path("properties").path("requests"));
        assertThat(Fleet.uncovered(emulator, vms, List.of(Fleet.POLICY))).isEmpty();
        assertNoDuplicates(after);
        long logical = arm.calls().reads() + arm.calls().writes();
        assertThat(arm.retries()).isPositive().isLessThanOrEqualTo(FAST.maxRetries() * logical);
        System.out.printf("[reliability] faults 25%%: %d events, %d deliveries, %d faults injected, %d reads, %d writes,"
                        + " %d retries, %d retryable failures reported then redelivered%n", vms.size(), deliveries,
                faults, arm.calls().reads(), arm.calls().writes(), arm.retries(), seen.size());
    }

    @Test
    void retryAfterIsHonoured() {
        emulator.faults().retryAfterSeconds(1).script(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 429, 1));
        SdkArm arm = Wiring.arm(emulator, FAST);
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), Fleet.CLOCK);
        Report report = fix(jitguard, VM_WEB_2, new RunOptions(false, "test"));

        assertThat(report.failures()).isEmpty();
        assertThat(status(report, VM_WEB_2)).isEqualTo(VmStatus.FIXED);
        assertThat(arm.retries()).isEqualTo(1);
        // the gap the emulator saw between its 429 and the retried PUT, not the test's clock
        assertThat(emulator.stats().shortestRetryWait()).as("waited Retry-After: 1 s, not the 10 ms back-off")
                .hasValueSatisfying(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 409})
    void permanentAnswersAreReportedNotRetried(int status) {
        emulator.faults().script(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", status, 5));
        SdkArm arm = Wiring.arm(emulator, FAST);
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), Fleet.CLOCK);
        Report report = fix(jitguard, VM_WEB_2, new RunOptions(false, "test"));

        assertThat(arm.retries()).isZero();
        assertThat(emulator.stats().faultsInjected()).isEqualTo(1);
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(status);
            assertThat(f.retryable()).isFalse();
        });
        assertThat(status(report, VM_WEB_2)).isEqualTo(VmStatus.FAILED);
        assertThat(report.hasTransientFailure()).isFalse();
    }

    @Test
    void aWriteThatKeepsFailingIsReportedFailedAndRetryable() {
        emulator.faults().script(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 503, 100));
        SdkArm arm = Wiring.arm(emulator, FAST.withMaxRetries(2));
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), Fleet.CLOCK);
        Report report = fix(jitguard, VM_WEB_2, new RunOptions(false, "test"));

        assertThat(emulator.stats().faultsInjected()).isEqualTo(3); // 1 + 2 retries, then it stops
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(503);
            assertThat(f.retryable()).isTrue();
        });
        assertThat(report.hasTransientFailure()).isTrue();
        assertThat(status(report, VM_WEB_2)).isEqualTo(VmStatus.FAILED);
        assertThat(report.writes()).isEmpty();
    }

    @Test
    void aReadThatKeepsFailingReportsTheScopeFailed() {
        emulator.faults().script(ScriptedFault.status("GET", "virtualMachines", 500, 100));
        SdkArm arm = Wiring.arm(emulator, FAST.withMaxRetries(1));
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), Fleet.CLOCK);
        Report report = fix(jitguard, Fleet.RG_WEB, new RunOptions(false, "test"));

        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualToIgnoringCase(Fleet.RG_WEB);
            assertThat(f.retryable()).isTrue();
        });
        assertThat(report.subscriptions()).anySatisfy(s -> assertThat(s.error()).contains("could not read"));
        assertThat(report.allCompliant()).isFalse();
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aSpentBudgetStartsNothingAndSaysSo() {
        SdkArm arm = Wiring.arm(emulator, FAST);
        Clock clock = Fleet.CLOCK;
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), clock);
        Report report = jitguard.reconcile(List.of(Scopes.parse(Fleet.RG_WEB), Scopes.parse(
                "/subscriptions/" + Fleet.PROD + "/resourceGroups/rg-data")),
                new RunOptions(false, "test").withDeadline(clock.instant().minusSeconds(1)));

        assertThat(arm.calls().reads() + arm.calls().writes()).isZero();
        assertThat(report.failures()).hasSize(2).allSatisfy(f -> {
            assertThat(f.code()).isEqualTo(Reconciler.TIME_BUDGET_EXHAUSTED);
            assertThat(f.retryable()).isTrue();
        });
        assertThat(report.hasTransientFailure()).isTrue();
        assertThat(report.allCompliant()).isFalse();
    }

    @Test
    void aBudgetSpentDuringTheReadLeavesTheWriteUndoneAndReportedFailed() {
        AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.parse("2026-12-07T10:00:00Z").plus(offset.get());
            }
        };
        SdkArm arm = Wiring.arm(emulator, FAST);
        Jitguard jitguard = Wiring.jitguard(emulator, arm, inner -> new Inventory() {
            @Override
            public List<String> subscriptions() {
                return inner.subscriptions();
            }

            @Override
            public ObservedSubscription read(Scope scope) {
                ObservedSubscription s = inner.read(scope);
                offset.set(Duration.ofMinutes(1)); // the read took "a minute"
                return s;
            }

            @Override
            public ObservedSubscription completeExposure(ObservedSubscription observed) {
                return inner.completeExposure(observed);
            }
        }, new InProcessPolicyLocks(), clock);
        Report report = fix(jitguard, Fleet.RG_WEB, new RunOptions(false, "test").withBudget(Duration.ofSeconds(20),
                clock));

        assertThat(emulator.stats().writes()).isZero();
        assertThat(report.failures()).isNotEmpty().allSatisfy(f -> {
            assertThat(f.code()).isEqualTo(Reconciler.TIME_BUDGET_EXHAUSTED);
            assertThat(f.retryable()).isTrue();
        });
        assertThat(status(report, VM_WEB_2)).isEqualTo(VmStatus.FAILED);
        assertThat(report.vms()).filteredOn(v -> v.id().endsWith("/vm-web-1")).singleElement()
                .satisfies(v -> assertThat(v.status()).isEqualTo(VmStatus.COMPLIANT));
    }

    @Test
    void anAdditionRemovedBetweenPutAndVerificationIsWrittenAgain() {
        ObjectNode original = emulator.resource(Fleet.POLICY).orElseThrow();
        AtomicInteger puts = new AtomicInteger();
        // A writer that ignores the lock (a person in the portal) puts back the policy it read before our PUT.
        Arm arm = Wiring.withAfterPut(Wiring.arm(emulator, FAST), () -> {
            if (puts.incrementAndGet() == 1) {
                emulator.putResource(original);
            }
        });
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), Fleet.CLOCK);
        Report report = fix(jitguard, VM_WEB_2, new RunOptions(false, "test"));

        assertThat(report.failures()).isEmpty();
        assertThat(puts.get()).isEqualTo(2);
        assertThat(report.writes()).hasSize(2);
        assertThat(status(report, VM_WEB_2)).isEqualTo(VmStatus.FIXED);
        assertThat(Fleet.uncovered(emulator, List.of(VM_WEB_2), List.of(Fleet.POLICY))).isEmpty();
        assertThat(Fleet.lostEntries(original, emulator.resource(Fleet.POLICY).orElseThrow())).isEmpty();
    }

    @Test
    void aWriterThatKeepsUndoingUsIsReportedAfterBoundedRounds() {
        ObjectNode original = emulator.resource(Fleet.POLICY).orElseThrow();
        Arm arm = Wiring.withAfterPut(Wiring.arm(emulator, FAST), () -> emulator.putResource(original));
        Jitguard jitguard = Wiring.jitguard(emulator, arm, i -> i, new InProcessPolicyLocks(), Fleet.CLOCK);
        Report report = fix(jitguard, VM_WEB_2, new RunOptions(false, "test"));

        assertThat(report.writes()).hasSize(3);
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("VerificationFailed");
            assertThat(f.retryable()).isTrue();
        });
        assertThat(status(report, VM_WEB_2)).isEqualTo(VmStatus.FAILED);
    }

    static Report fix(Jitguard jitguard, String scope, RunOptions options) {
        return jitguard.reconcile(List.of(Scopes.parse(scope)), options);
    }

    static VmStatus status(Report report, String vmId) {
        return report.vms().stream().filter(v -> v.id().equalsIgnoreCase(vmId)).findFirst().orElseThrow().status();
    }

    static void assertNoDuplicates(JsonNode policy) {
        Set<String> vms = new HashSet<>();
        for (JsonNode vm : policy.path("properties").path("virtualMachines")) {
            assertThat(vms.add(vm.path("id").asText().toLowerCase(Locale.ROOT))).as("duplicate VM " + vm).isTrue();
            Set<String> ports = new HashSet<>();
            for (JsonNode p : vm.path("ports")) {
                assertThat(ports.add(p.path("number").asInt() + "/" + p.path("protocol").asText()))
                        .as("duplicate port in " + vm).isTrue();
            }
        }
    }
}
