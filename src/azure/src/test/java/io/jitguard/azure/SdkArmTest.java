package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.baseline.SettingsException;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SdkArm over HTTPS against the ARM emulator (example estate, pages of 2). */
class SdkArmTest {
    static final String A = "11111111-1111-1111-1111-111111111111";
    static final String TOKEN = "secret-test-token-must-not-leak";
    static ArmEmulator emulator;
    SdkArm arm;

    @BeforeAll
    static void start() {
        emulator = ArmEmulator.start(Estate.load(Path.of("examples", "estate.json")), 0);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void connect() {
        emulator.faults().clear();
        emulator.faults().retryAfterSeconds(1);
        emulator.stats().reset();
        arm = ArmConnection.fromSettings(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN", TOKEN),
                new ArmOptions(3, Duration.ofSeconds(30), false));
    }

    long emulatorRequests() {
        return emulator.stats().reads() + emulator.stats().writes() + emulator.stats().faultsInjected();
    }

    @Test
    void getReadsOneResource() {
        JsonNode rg = arm.get(ArmOperation.GET_RESOURCE_GROUP, "/subscriptions/" + A + "/resourcegroups/rg-web");
        assertThat(rg.path("name").asText()).isEqualTo("rg-web");
        assertThat(rg.path("tags").path("env").asText()).isEqualTo("prod");
        assertThat(arm.calls()).isEqualTo(new ArmCalls(1, 0));
        assertThat(emulatorRequests()).isEqualTo(1);
    }

    @Test
    void listFollowsNextLinkAndCountsEveryPage() {
        List<JsonNode> vms = arm.list(ArmOperation.LIST_VMS,
                "/subscriptions/" + A + "/providers/Microsoft.Compute/virtualMachines");
        assertThat(vms).hasSize(9);
        assertThat(vms).extracting(v -> v.path("name").asText()).contains("vm-web-1", "vm-behind-fw").doesNotHaveDuplicates();
        assertThat(arm.calls()).isEqualTo(new ArmCalls(5, 0)); // pages of 2
        assertThat(emulator.stats().reads()).isEqualTo(5);
    }

    @Test
    void putWritesAndCountsOneWrite() {
        String path = "/subscriptions/" + A + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";
        ObjectNode assignment = (ObjectNode) arm.get(ArmOperation.GET_POLICY_ASSIGNMENT, path);
        ((ObjectNode) assignment.path("properties").path("parameters").path("jitNetworkAccessMonitoringEffect"))
                .put("value", "AuditIfNotExists");
        JsonNode written = arm.put(ArmOperation.PUT_POLICY_ASSIGNMENT, path, assignment);
        assertThat(written.path("properties").path("parameters").path("jitNetworkAccessMonitoringEffect").path("value").asText())
                .isEqualTo("AuditIfNotExists");
        assertThat(arm.get(ArmOperation.GET_POLICY_ASSIGNMENT, path).path("properties").path("parameters")
                .path("diskEncryptionMonitoringEffect").path("value").asText()).isEqualTo("Disabled");
        assertThat(arm.calls()).isEqualTo(new ArmCalls(2, 1));
        assertThat(emulator.stats().writes()).isEqualTo(1);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // a guard only: before, the second PUT slept through ARM's hour
    void aWriteWhoseBudgetIsPausedPastTheCallsTimeLimitFailsAtOnceUnsentAndRetryable() {
        emulator.faults().retryAfterSeconds(3600);
        emulator.faults().script(ScriptedFault.status("PUT", "policyAssignments", 429, 1));
        String path = "/subscriptions/" + A + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";
        JsonNode assignment = arm.get(ArmOperation.GET_POLICY_ASSIGNMENT, path);
        assertThatThrownBy(() -> arm.put(ArmOperation.PUT_POLICY_ASSIGNMENT, path, assignment))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.status()).isEqualTo(429));
        emulator.stats().reset();

        // ARM said: no write for an hour. The next write is not sent, and says when it may be
        assertThatThrownBy(() -> arm.put(ArmOperation.PUT_POLICY_ASSIGNMENT, path, assignment))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("SubscriptionRequestsThrottled");
                    assertThat(e.retryAfter().orElseThrow()).isBetween(Duration.ofSeconds(3500), Duration.ofSeconds(3600));
                    assertThat(e.getMessage()).contains("not sent").contains("write budget");
                });
        assertThat(emulatorRequests()).isZero();
        // reads have their own bucket
        assertThat(arm.get(ArmOperation.GET_POLICY_ASSIGNMENT, path).path("name").asText())
                .isEqualTo("SecurityCenterBuiltIn");
    }

    @Test
    void notFoundIsAPermanentArmExceptionWithArmsCode() {
        assertThatThrownBy(() -> arm.get(ArmOperation.GET_VM,
                "/subscriptions/" + A + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/nope"))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.code()).isNotBlank();
                    assertThat(e.getMessage()).contains("404").doesNotContain(TOKEN).doesNotContain("\n");
                });
        assertThat(arm.retries()).isZero();
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfter() {
        emulator.faults().script(ScriptedFault.of("GET", "/resourcegroups/rg-web", "429", 2));
        JsonNode rg = arm.get(ArmOperation.GET_RESOURCE_GROUP, "/subscriptions/" + A + "/resourcegroups/rg-web");
        assertThat(rg.path("name").asText()).isEqualTo("rg-web");
        assertThat(arm.calls()).isEqualTo(new ArmCalls(1, 0)); // one logical read
        assertThat(arm.retries()).isEqualTo(2);
        assertThat(emulator.stats().faultsInjected()).isEqualTo(2);
        assertThat(emulator.stats().reads()).isEqualTo(1);
        // Retry-After: 1, twice: the emulator saw each retry come at least ~1 s after its 429
        assertThat(emulator.stats().shortestRetryWait())
                .hasValueSatisfying(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofMillis(950)));
    }

    @Test
    void badRequestIsNotRetried() {
        emulator.faults().script(ScriptedFault.status("GET", "/resourcegroups/rg-web", 400, 1));
        assertThatThrownBy(() -> arm.get(ArmOperation.GET_RESOURCE_GROUP, "/subscriptions/" + A + "/resourcegroups/rg-web"))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).doesNotContain(TOKEN);
                });
        assertThat(emulatorRequests()).isEqualTo(1);
        assertThat(arm.retries()).isZero();
    }

    @Test
    void persistentServerErrorsGiveUpAfterMaxRetriesAsTransient() {
        SdkArm oneRetry = ArmConnection.fromSettings(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(),
                "JITGUARD_ARM_TOKEN", TOKEN), new ArmOptions(1, Duration.ofSeconds(30), false));
        emulator.faults().script(ScriptedFault.status("GET", "/resourcegroups/rg-web", 503, 5));
        assertThatThrownBy(() -> oneRetry.get(ArmOperation.GET_RESOURCE_GROUP, "/subscriptions/" + A + "/resourcegroups/rg-web"))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).doesNotContain(TOKEN);
                });
        assertThat(emulator.stats().faultsInjected()).isEqualTo(2);
        assertThat(oneRetry.retries()).isEqualTo(1);
    }

    @Test
    void connectionFailureIsStatusZero() {
        SdkArm nowhere = ArmConnection.fromSettings(Map.of("JITGUARD_ARM_ENDPOINT", "https://127.0.0.1:1/",
                "JITGUARD_ARM_TOKEN", TOKEN), new ArmOptions(0, Duration.ofSeconds(5), false));
        assertThatThrownBy(() -> nowhere.get(ArmOperation.GET_SUBSCRIPTION, "/subscriptions/" + A))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).doesNotContain(TOKEN);
                });
    }

    @Test
    void slowResponsesHitTheCallTimeout() {
        emulator.faults().slowMs(3000);
        emulator.faults().script(ScriptedFault.of("GET", "/resourcegroups/rg-web", "slow", 1));
        SdkArm impatient = ArmConnection.fromSettings(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(),
                "JITGUARD_ARM_TOKEN", TOKEN), new ArmOptions(0, Duration.ofMillis(800), false));
        assertThatThrownBy(() -> impatient.get(ArmOperation.GET_RESOURCE_GROUP, "/subscriptions/" + A + "/resourcegroups/rg-web"))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void settingsAreValidated() {
        assertThat(ArmConnection.endpoint(Map.of())).isEqualTo(URI.create("https://management.azure.com/"));
        assertThat(ArmConnection.endpoint(Map.of("JITGUARD_ARM_ENDPOINT", "https://localhost:8443")))
                .isEqualTo(URI.create("https://localhost:8443/"));
        for (String bad : List.of("http://management.azure.com/", "management.azure.com", "https://", "ftp://x/",
                "https://x/?a=b", "https://user:pw@x/")) {
            assertThatThrownBy(() -> ArmConnection.endpoint(Map.of("JITGUARD_ARM_ENDPOINT", bad)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("JITGUARD_ARM_ENDPOINT");
        }
        assertThatThrownBy(() -> ArmConnection.fromSettings(Map.of("JITGUARD_ARM_TOKEN", "two words")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("JITGUARD_ARM_TOKEN")
                .hasMessageNotContaining("two words");
    }

    @Test
    void errorBodiesAreParsed() {
        ArmException e = SdkArm.error(com.azure.core.http.HttpMethod.GET, "/x",
                new SdkArm.Response(403, "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"no\\nway\"}}"));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("AuthorizationFailed");
        assertThat(e.getMessage()).isEqualTo("GET /x failed: 403 AuthorizationFailed: no way");
        ArmException plain = SdkArm.error(com.azure.core.http.HttpMethod.PUT, "/y", new SdkArm.Response(502, "<html>"));
        assertThat(plain.code()).isEqualTo("Http502");
        assertThat(plain.isTransient()).isTrue();
    }
}
