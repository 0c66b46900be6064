package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.arm.ArmOperation;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.read.EstateCensus;
import io.jitguard.read.VmCount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resource Graph through azure-resourcemanager-resourcegraph, over HTTPS to the emulator, on the ARM client's pipeline. */
class ResourceGraphCensusTest {
    static final String TOKEN = "test-token";

    static SdkArm arm(ArmEmulator emulator) {
        return ArmConnection.fromSettings(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(),
                "JITGUARD_ARM_TOKEN", TOKEN), new ArmOptions(0, java.time.Duration.ofSeconds(30), false));
    }

    @Test
    void countsVmsPerSubscriptionAndResourceGroup() {
        try (ArmEmulator emulator = ArmEmulator.start(Estate.load(Path.of("examples", "estate.json")), 0)) {
            List<VmCount> counts = ResourceGraphCensus.over(arm(emulator)).vmCounts(List.of(
                    "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"));

            assertThat(counts).containsExactly(
                    new VmCount("11111111-1111-1111-1111-111111111111", "rg-data", 3),
                    new VmCount("11111111-1111-1111-1111-111111111111", "rg-lab", 1),
                    new VmCount("11111111-1111-1111-1111-111111111111", "rg-web", 5),
                    new VmCount("22222222-2222-2222-2222-222222222222", "rg-dev", 1));
        }
    }

    @Test
    void pagesPastAThousandRowsAndBatchesThreeHundredSubscriptionsAQuery() {
        // 320 subscriptions of 4 resource groups with a VM each: 1,280 rows; the first 300 subscriptions' 1,200 rows
        // come in two pages (1,000 + 200), the last 20's 80 rows in one.
        try (ArmEmulator emulator = ArmEmulator.start(Estate.synthetic(320, 4, 0.0, 7), 0)) {
            List<String> subscriptions = arm(emulator).list(ArmOperation.LIST_SUBSCRIPTIONS, "/subscriptions").stream()
                    .map(s -> s.path("subscriptionId").asText()).toList();
            assertThat(subscriptions).hasSize(320);

            List<VmCount> counts = ResourceGraphCensus.over(arm(emulator)).vmCounts(subscriptions);

            assertThat(counts).hasSize(1280);
            assertThat(counts.stream().mapToLong(VmCount::vms).sum()).isEqualTo(1280);
            assertThat(counts.stream().map(c -> c.subscriptionId() + "/" + c.resourceGroup()).distinct()).hasSize(1280);
            assertThat(emulator.stats().byOperation()).containsEntry("POST resourceGraph", 3L);
        }
    }

    @Test
    void aRefusalIsACensusFailureNamingTheStatus() {
        try (ArmEmulator emulator = ArmEmulator.start(Estate.load(Path.of("examples", "estate.json")), 0)) {
            emulator.faults().script(ScriptedFault.status("POST", "Microsoft.ResourceGraph", 403, 1));

            assertThatThrownBy(() -> ResourceGraphCensus.over(arm(emulator))
                    .vmCounts(List.of("11111111-1111-1111-1111-111111111111")))
                    .isInstanceOf(EstateCensus.CensusFailedException.class)
                    .hasMessageContaining("Resource Graph query failed")
                    .hasMessageContaining("403");
        }
    }
}
