package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.ConcurrentReads;
import io.jitguard.arm.ForwardingArm;
import io.jitguard.EmulatorArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a write costs against the emulator: two calls (the read under the lock, the PUT), verified by the PUT's answer;
 * a read-back only where the answer did not show the write, and at the end of the run, on the fan-out; what an event
 * reads before its write.
 */
class WriteCostTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    static final Estate ESTATE = Estate.synthetic(1, 40, 0.5, 3);
    static final String SUB = ESTATE.subscriptions().get(0).subscriptionId();

    ArmEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    /** One subscription, 40 VMs over 4 resource groups, half of them in no policy (seeded). */
    private Arm start() {
        emulator = ArmEmulator.start(ESTATE, 0);
        return EmulatorArm.of(emulator);
    }

    private Reconciler reconciler(Arm arm, int parallelism, RunPhases phases) {
        return new Reconciler(new ArmInventory(arm, CLOCK, ConcurrentReads.bounded(arm, parallelism)), arm,
                Baseline.defaults(), new InProcessPolicyLocks(), CLOCK, parallelism, phases);
    }

    @Test
    void aVmEventReadsSixTimesColdAndFourWarmBeforeItsWriteOfTwoCallsAndItsExposureAfter() {
        Arm arm = start();
        ReadsAtWrite atWrite = new ReadsAtWrite();
        Reconciler engine = reconciler(arm, 8, atWrite);
        List<String> missing = uncoveredVms(emulator, "rg-app-0");

        emulator.stats().reset();
        Report cold = engine.reconcile(List.of(Scopes.parse(missing.get(0))), new RunOptions(false, "test"));
        assertThat(cold.vms()).extracting(VmReport::status).containsExactly(VmStatus.FIXED);
        // the VM, its group, the Defender plan, its NIC, its subnet, the policies of its group there
        assertThat(atWrite.reads).isEqualTo(6);
        // the write: the list under the lock and the PUT; the end-of-run read-back. No verifying GET. Then exposure:
        // the NSG on both paths and the virtual network's effective security admin rules (one POST, kept a while)
        assertThat(atWrite.exposureReads).isEqualTo(2);
        assertThat(emulator.stats().reads()).isEqualTo(6 + 1 + 1 + 2);
        assertThat(emulator.stats().writes()).isEqualTo(1);
        assertThat(cold.armCalls().reads()).as("reads sent together count as the run's").isEqualTo(10);

        emulator.stats().reset();
        Report warm = engine.reconcile(List.of(Scopes.parse(missing.get(1))), new RunOptions(false, "test"));
        assertThat(warm.vms()).extracting(VmReport::status).containsExactly(VmStatus.FIXED);
        assertThat(atWrite.reads).as("group and plan cached").isEqualTo(4);
        assertThat(atWrite.exposureReads).as("the VNet's admin rules kept").isEqualTo(1);
        assertThat(emulator.stats().reads()).isEqualTo(4 + 1 + 1 + 1);
        assertThat(emulator.stats().byOperation()).containsEntry("GET jitNetworkAccessPolicies", 3L)
                .containsEntry("PUT jitNetworkAccessPolicies", 1L);
    }

    @Test
    void aPutWhoseAnswerLacksTheAdditionIsWrittenAgainOnThatAnswer() {
        Arm emulated = start();
        String vm = uncoveredVms(emulator, "rg-app-0").get(0);
        // the first PUT's answer is what the policy held before it: as if another writer had replaced it at once
        int[] puts = {0};
        Arm arm = new ForwardingArm(emulated) {
            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                if (operation == ArmOperation.PUT_JIT_POLICY && puts[0]++ == 0) {
                    JsonNode stale = delegate.get(ArmOperation.GET_JIT_POLICY, path);
                    delegate.put(operation, path, body);
                    return delegate.put(operation, path, stale);
                }
                return delegate.put(operation, path, body);
            }
        };
        Report report = reconciler(arm, 1, RunPhases.NONE).reconcile(List.of(Scopes.parse(vm)),
                new RunOptions(false, "test"));

        assertThat(report.vms()).extracting(VmReport::status).containsExactly(VmStatus.FIXED);
        assertThat(report.writes()).hasSize(2);
        assertThat(uncoveredVms(emulator, "rg-app-0")).doesNotContain(vm);
    }

    @Test
    void aPutAnswerWithoutTheDocumentIsVerifiedByARead() {
        Arm emulated = start();
        String vm = uncoveredVms(emulator, "rg-app-0").get(0);
        Arm arm = new ForwardingArm(emulated) {
            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                delegate.put(operation, path, body);
                return MissingNode.getInstance();
            }
        };
        emulator.stats().reset();
        Report report = reconciler(arm, 1, RunPhases.NONE).reconcile(List.of(Scopes.parse(vm)),
                new RunOptions(false, "test"));

        assertThat(report.vms()).extracting(VmReport::status).containsExactly(VmStatus.FIXED);
        // the inventory's list, the list under the lock, the verifying GET, the end-of-run read-back
        assertThat(emulator.stats().byOperation()).containsEntry("GET jitNetworkAccessPolicies", 4L);
    }

    @Test
    void theParallelEndOfRunReadBackRestoresEveryPolicyAWriterWithoutTheLockReplaced() {
        Arm emulated = start();
        // right after each of our PUTs, another writer (no lock) puts back the document it read before: our
        // verification (the PUT's answer) cannot see it; only the end-of-run read-back can
        Set<String> replaced = ConcurrentHashMap.newKeySet();
        Arm arm = new ForwardingArm(emulated) {
            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                if (operation != ArmOperation.PUT_JIT_POLICY || !replaced.add(path.toLowerCase(Locale.ROOT))) {
                    return delegate.put(operation, path, body);
                }
                JsonNode stale = emulatedOrNull(delegate, path);
                JsonNode answer = delegate.put(operation, path, body);
                if (stale != null) {
                    delegate.put(operation, path, stale);
                }
                return answer;
            }
        };
        Report report = reconciler(arm, 4, RunPhases.NONE).reconcile(List.<Scope>of(new SubscriptionScope(SUB)),
                new RunOptions(false, "test"));

        assertThat(replaced).hasSize(4);
        assertThat(report.failures()).isEmpty();
        for (int g = 0; g < 4; g++) {
            assertThat(uncoveredVms(emulator, "rg-app-" + g)).as("rg-app-" + g).isEmpty();
        }
        // each policy: our write, then the read-back's rewrite
        assertThat(report.writes()).hasSize(8);
    }

    @Test
    void theEndOfRunReadBackReadsASubscriptionsWrittenPoliciesWithOneList() {
        start();
        emulator.stats().reset();
        Report report = reconciler(EmulatorArm.of(emulator), 4, RunPhases.NONE).reconcile(
                List.<Scope>of(new SubscriptionScope(SUB)), new RunOptions(false, "test"));

        assertThat(report.failures()).isEmpty();
        assertThat(report.writes()).hasSize(4);
        // the inventory's list, a list under each of the 4 locks, one list for the read-back: no GET per policy
        assertThat(emulator.stats().byOperation()).containsEntry("GET jitNetworkAccessPolicies", 1L + 4 + 1)
                .containsEntry("PUT jitNetworkAccessPolicies", 4L);
    }

    @Test
    void aWrittenPolicyTheSubscriptionListLacksIsReadBackByGetAndRestored() {
        Arm emulated = start();
        String group = "rg-app-2";
        String[] hidden = {null};
        int[] gets = {0};
        // after our PUT of rg-app-2's policy another writer (no lock) puts back the document it read before, and the
        // subscription list leaves that policy out from then on: only a GET shows what it holds
        Arm arm = new ForwardingArm(emulated) {
            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                if (operation != ArmOperation.PUT_JIT_POLICY || hidden[0] != null
                        || !path.toLowerCase(Locale.ROOT).contains("/resourcegroups/" + group + "/")) {
                    return delegate.put(operation, path, body);
                }
                JsonNode stale = emulatedOrNull(delegate, path);
                JsonNode answer = delegate.put(operation, path, body);
                delegate.put(operation, path, stale);
                hidden[0] = path.toLowerCase(Locale.ROOT);
                return answer;
            }

            @Override
            public JsonNode get(ArmOperation operation, String path) {
                if (operation == ArmOperation.GET_JIT_POLICY && path.equalsIgnoreCase(hidden[0])) {
                    gets[0]++;
                }
                return delegate.get(operation, path);
            }

            @Override
            public List<JsonNode> list(ArmOperation operation, String path) {
                List<JsonNode> all = delegate.list(operation, path);
                if (operation != ArmOperation.LIST_JIT_POLICIES || hidden[0] == null
                        || path.toLowerCase(Locale.ROOT).contains("/resourcegroups/")) {
                    return all;
                }
                return all.stream().filter(p -> !p.path("id").asText().equalsIgnoreCase(hidden[0])).toList();
            }
        };
        assertThat(uncoveredVms(emulator, group)).isNotEmpty();
        Report report = reconciler(arm, 1, RunPhases.NONE).reconcile(List.<Scope>of(new SubscriptionScope(SUB)),
                new RunOptions(false, "test"));

        assertThat(hidden[0]).isNotNull();
        assertThat(report.failures()).isEmpty();
        assertThat(uncoveredVms(emulator, group)).as("restored by the read-back's rewrite").isEmpty();
        assertThat(report.writes()).hasSize(5);
        // the read-back's GET (the subscription list lacked it), then the next round's GET of the one rewritten policy
        assertThat(gets[0]).isEqualTo(2);
    }

    private static JsonNode emulatedOrNull(Arm arm, String path) {
        try {
            return arm.get(ArmOperation.GET_JIT_POLICY, path);
        } catch (io.jitguard.arm.ArmException e) {
            return null;
        }
    }

    /** VM ids of the group that its policy does not list with the default baseline's ports, as the emulator holds. */
    static List<String> uncoveredVms(ArmEmulator emulator, String group) {
        Arm arm = EmulatorArm.of(emulator);
        String rg = io.jitguard.model.ArmId.resourceGroup(SUB, group).toString();
        Set<String> covered = new HashSet<>();
        for (JsonNode p : arm.list(ArmOperation.LIST_JIT_POLICIES, ArmOperation.LIST_JIT_POLICIES.path(rg))) {
            p.path("properties").path("virtualMachines").forEach(v -> {
                Set<Integer> ports = new HashSet<>();
                v.path("ports").forEach(port -> ports.add(port.path("number").asInt()));
                if (ports.containsAll(Baseline.DEFAULT_PORTS)) {
                    covered.add(v.path("id").asText().toLowerCase(Locale.ROOT));
                }
            });
        }
        List<String> out = new ArrayList<>();
        for (String id : arm.list(ArmOperation.LIST_VMS, ArmOperation.LIST_VMS.path(rg),
                (Function<JsonNode, String>) n -> n.path("id").asText())) {
            if (!covered.contains(id.toLowerCase(Locale.ROOT))) {
                out.add(id);
            }
        }
        return out;
    }

    /** The emulator's reads when the run entered its write phase: the reads before its first write. */
    final class ReadsAtWrite implements RunPhases {
        long startedAt;
        long reads;
        long exposureFrom = -1;
        long exposureReads;

        @Override
        public void entered(Phase phase) {
            if (phase == Phase.READ) {
                startedAt = emulator.stats().reads();
                exposureReads = 0;
            } else if (phase == Phase.WRITE) {
                reads = emulator.stats().reads() - startedAt;
            } else if (phase == Phase.EXPOSURE) {
                exposureFrom = emulator.stats().reads();
            } else if (phase == Phase.DONE && exposureFrom >= 0) {
                exposureReads = emulator.stats().reads() - exposureFrom;
                exposureFrom = -1;
            }
        }
    }
}
