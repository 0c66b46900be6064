package io.jitguard.engine;

import static io.jitguard.testing.EstateEdits.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.EmulatorArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.TimeToProtect;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import io.jitguard.testing.ExampleEstate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A fixed VM's time to protect, on the example estate, with the engine's clock fixed at {@link #NOW} (so each PUT
 * succeeds "at" NOW): from an event's time when the run has one, else from what ARM dates (the VM's
 * {@code timeCreated}, the policy's {@code systemData}), else unknown.
 */
class TimeToProtectTest extends EditedEstate {
    static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");
    static final String SUB = ExampleEstate.PROD;

    private void startAt(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode estate = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/estate.json")));
        edit.accept(estate);
        emulator = ArmEmulator.start(Estate.parse(estate.toString()), 0);
        arm = EmulatorArm.of(emulator);
        jitguard = new Reconciler(new ArmInventory(arm), arm, Baseline.defaults(), new InProcessPolicyLocks(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static VmReport vm(Report report, String rg, String name) {
        return report.vms().stream().filter(v -> v.id().equalsIgnoreCase(ExampleEstate.vmId(rg, name)))
                .findFirst().orElseThrow();
    }

    private static void created(ObjectNode estate, String vm, Instant at) {
        ((ObjectNode) resource(estate, "/virtualMachines/" + vm).with("properties")).put("timeCreated", at.toString());
    }

    @Test
    void anEventRunCountsFromTheEventsTime() throws Exception {
        startAt(e -> created(e, "vm-web-2", NOW.minusSeconds(86_400)));
        Scope scope = new VmScope(SUB, "rg-web", "vm-web-2");

        Report report = jitguard.reconcile(List.of(scope), new RunOptions(false, "event-grid")
                .withDriftStarts(Map.of(scope, NOW.minusSeconds(95))));

        VmReport vm = vm(report, "rg-web", "vm-web-2");
        assertThat(vm.status()).isEqualTo(VmStatus.FIXED);
        assertThat(vm.timeToProtect()).isEqualTo(new TimeToProtect(95L, TimeToProtect.EVENT, NOW.minusSeconds(95), NOW));
        JsonNode json = JSON.readTree(ReportJson.write(report));
        for (JsonNode v : json.path("vms")) {
            if (v.path("id").asText().endsWith("/vm-web-2")) {
                assertThat(v.path("timeToProtect").path("seconds").asLong()).isEqualTo(95);
                assertThat(v.path("timeToProtect").path("from").asText()).isEqualTo("event");
                assertThat(v.path("timeToProtect").path("protectedAt").asText()).isEqualTo("2026-12-07T02:00:00Z");
            }
        }
    }

    @Test
    void aSweepDatesANewVmFromItsTimeCreatedAndALooseRuleFromThePolicysLastChange() throws Exception {
        startAt(e -> {
            created(e, "vm-db-1", NOW.minusSeconds(3_600)); // rg-data has no JIT policy
            created(e, "vm-web-2", NOW.minusSeconds(10_000)); // rg-web's policy changed after: it may have dropped it
            resource(e, "/jitNetworkAccessPolicies/default").putObject("systemData")
                    .put("createdAt", NOW.minusSeconds(20_000).toString())
                    .put("lastModifiedAt", NOW.minusSeconds(7_200).toString());
        });

        Report report = jitguard.reconcile(List.of(new SubscriptionScope(SUB)), new RunOptions(false, "timer"));

        VmReport db = vm(report, "rg-data", "vm-db-1");
        assertThat(db.status()).isEqualTo(VmStatus.FIXED);
        assertThat(db.timeToProtect().seconds()).isEqualTo(3_600L);
        assertThat(db.timeToProtect().from()).isEqualTo(TimeToProtect.VM_CREATED);
        assertThat(vm(report, "rg-web", "vm-web-2").timeToProtect()).isEqualTo(TimeToProtect.unknown(NOW));
        VmReport loose = vm(report, "rg-web", "vm-web-3");
        assertThat(loose.timeToProtect().seconds()).isEqualTo(7_200L);
        assertThat(loose.timeToProtect().from()).isEqualTo(TimeToProtect.POLICY_MODIFIED);
        assertThat(vm(report, "rg-web", "vm-web-1").timeToProtect()).as("compliant: nothing fixed").isNull();
    }

    @Test
    void aSweepWithoutTimesFromArmSaysUnknownNeverAGuess() throws Exception {
        startAt(e -> { });

        Report report = jitguard.reconcile(List.of(new SubscriptionScope(SUB)), new RunOptions(false, "timer"));

        List<VmReport> fixed = report.vms().stream().filter(v -> v.timeToProtect() != null).toList();
        assertThat(fixed).extracting(v -> v.id().substring(v.id().lastIndexOf('/') + 1))
                .contains("vm-db-1", "vm-web-2", "vm-web-3");
        assertThat(fixed).allSatisfy(v -> assertThat(v.timeToProtect()).isEqualTo(TimeToProtect.unknown(NOW)));
        JsonNode json = JSON.readTree(ReportJson.write(report));
        assertThat(json.path("vms").findValues("timeToProtect")).allSatisfy(t -> {
            assertThat(t.path("from").asText()).isEqualTo("unknown");
            assertThat(t.has("seconds")).isFalse();
        });
    }
}
