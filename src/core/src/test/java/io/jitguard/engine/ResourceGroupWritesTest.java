package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.EmulatorArm;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.ConcurrentReads;
import io.jitguard.arm.ForwardingArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The policy writes of one resource group share their read under the lock: one list of the group's JIT policies,
 * taken under every lock of the group's writes, from which each write starts. The wide synthetic estate: 10 resource
 * groups, each with a JIT policy in two locations, every one of which needs a write.
 */
class ResourceGroupWritesTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
    static final Estate WIDE = Estate.syntheticWide(1, 200, 0.3, 11);
    static final String SUB = WIDE.subscriptions().get(0).subscriptionId();
    static final String RG_3 = "/subscriptions/" + SUB + "/resourceGroups/rg-app-3";
    static final String NORTH_3 = RG_3 + "/providers/Microsoft.Security/locations/northeurope/jitNetworkAccessPolicies/default";

    final ArmEmulator emulator = ArmEmulator.start(WIDE, 0);
    final Arm emulated = EmulatorArm.of(emulator);
    final List<String> listed = new CopyOnWriteArrayList<>();
    final Map<String, Integer> puts = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** Records the JIT policy lists and PUTs; {@code beforeGroupList} runs before a resource group's list is sent. */
    Arm recording(java.util.function.Consumer<String> beforeGroupList) {
        return new ForwardingArm(emulated) {
            @Override
            public List<JsonNode> list(ArmOperation operation, String path) {
                if (operation == ArmOperation.LIST_JIT_POLICIES) {
                    listed.add(path);
                    if (groupList(path)) {
                        beforeGroupList.accept(path);
                    }
                }
                return delegate.list(operation, path);
            }

            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                puts.merge(path.toLowerCase(Locale.ROOT), 1, Integer::sum);
                return delegate.put(operation, path, body);
            }
        };
    }

    static boolean groupList(String path) {
        return path.contains("/resourceGroups/") && !path.contains("/locations/");
    }

    Report sweep(Arm arm) {
        return new Reconciler(new ArmInventory(arm, CLOCK, ConcurrentReads.bounded(arm, 4)), arm, Baseline.defaults(),
                new InProcessPolicyLocks(), CLOCK, 4).reconcile(List.<Scope>of(new SubscriptionScope(SUB)),
                new RunOptions(false, "test"));
    }

    @Test
    void theTwoWritesOfEachResourceGroupCostOneListAndTwoPuts() {
        Report report = sweep(recording(path -> { }));

        assertThat(report.failures()).isEmpty();
        assertThat(report.writes()).hasSize(20);
        assertThat(puts).hasSize(20).allSatisfy((path, n) -> assertThat(n).isEqualTo(1));
        assertThat(listed.stream().filter(ResourceGroupWritesTest::groupList)).hasSize(10).doesNotHaveDuplicates();
        assertThat(listed).as("no list of a resource group + location").noneMatch(p -> p.contains("/resourceGroups/")
                && p.contains("/locations/"));
        assertThat(report.vms()).allSatisfy(v -> assertThat(v.status()).isIn(VmStatus.FIXED, VmStatus.COMPLIANT));

        listed.clear();
        puts.clear();
        assertThat(sweep(recording(path -> { })).writes()).as("a second sweep writes nothing").isEmpty();
        assertThat(puts).isEmpty();
    }

    @Test
    void whatAnotherWriterPutAfterTheReadPhaseIsKeptByTheWriteThatStartsFromTheSharedList() {
        // after the read phase, before rg-app-3's list under the locks, a person adds port 2222 to a VM of its
        // northeurope policy: the write must start from the list, not from what the read phase saw
        AtomicBoolean edited = new AtomicBoolean();
        String[] vm = {null};
        Report report = sweep(recording(path -> {
            if (path.toLowerCase(Locale.ROOT).startsWith(RG_3.toLowerCase(Locale.ROOT)) && edited.compareAndSet(false, true)) {
                ObjectNode policy = emulated.get(ArmOperation.GET_JIT_POLICY, NORTH_3).deepCopy();
                ObjectNode entry = (ObjectNode) policy.path("properties").path("virtualMachines").get(0);
                vm[0] = entry.path("id").asText();
                ((ArrayNode) entry.path("ports")).addObject().put("number", 2222).put("protocol", "TCP")
                        .put("allowedSourceAddressPrefix", "10.0.0.0/8").put("maxRequestAccessDuration", "PT1H");
                emulated.put(ArmOperation.PUT_JIT_POLICY, NORTH_3, policy);
            }
        }));

        assertThat(edited).isTrue();
        assertThat(report.failures()).isEmpty();
        assertThat(puts).containsEntry(NORTH_3.toLowerCase(Locale.ROOT), 1);
        JsonNode entry = null;
        for (JsonNode e : emulated.get(ArmOperation.GET_JIT_POLICY, NORTH_3).path("properties").path("virtualMachines")) {
            if (e.path("id").asText().equalsIgnoreCase(vm[0])) {
                entry = e;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.path("ports").findValuesAsText("number")).contains("2222", "22", "3389", "5985", "5986");
    }

    @Test
    void whenTheResourceGroupListIsNotServedEachWriteReadsItsOwnLocationsList() {
        Report report = sweep(recording(path -> {
            throw new ArmException(400, "InvalidResourceType", "no such list here");
        }));

        assertThat(report.failures()).isEmpty();
        assertThat(report.writes()).hasSize(20);
        assertThat(puts).hasSize(20);
        assertThat(listed.stream().filter(p -> p.contains("/resourceGroups/") && p.contains("/locations/")))
                .as("one list of its resource group + location per write").hasSize(20);
    }

    @Test
    void whenTheSharedListFailsNeitherWriteOfThatGroupIsSentAndTheOthersAre() {
        Report report = sweep(recording(path -> {
            if (path.toLowerCase(Locale.ROOT).startsWith(RG_3.toLowerCase(Locale.ROOT))) {
                throw new ArmException(403, "AuthorizationFailed", "not allowed to list rg-app-3's policies");
            }
        }));

        assertThat(report.failures()).hasSize(2).allSatisfy(f -> {
            assertThat(f.target()).startsWithIgnoringCase(RG_3);
            assertThat(f.status()).isEqualTo(403);
        });
        assertThat(puts).hasSize(18).allSatisfy((path, n) -> assertThat(path).doesNotStartWith(
                RG_3.toLowerCase(Locale.ROOT)));
        assertThat(report.writes()).hasSize(18);
    }
}
