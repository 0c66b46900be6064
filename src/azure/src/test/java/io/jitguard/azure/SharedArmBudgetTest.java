package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The clients connected with one set of settings (the function app's event engine and its sweep engine) spend one
 * request budget: a 429 one of them is given pauses the other's requests to that subscription too.
 */
class SharedArmBudgetTest {
    static final String A = "11111111-1111-1111-1111-111111111111";
    static final String B = "22222222-2222-2222-2222-222222222222";

    final ArmEmulator emulator = ArmEmulator.start(Estate.load(Path.of("examples", "estate.json")), 0);

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String assignment(String subscription) {
        return "/subscriptions/" + subscription + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";
    }

    @Test
    void aPauseOneClientIsGivenHoldsTheOtherClientOfTheSameSettingsButNotOfOthers() {
        Map<String, String> env = Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN", "t");
        ArmSettings settings = ArmSettings.parse(env);
        ArmOptions quick = new ArmOptions(0, Duration.ofSeconds(20), false);
        SdkArm events = settings.connect(quick);
        SdkArm sweeps = settings.connect(quick);
        SdkArm elsewhere = ArmSettings.parse(env).connect(quick);
        var document = events.get(ArmOperation.GET_POLICY_ASSIGNMENT, assignment(A));
        emulator.faults().retryAfterSeconds(3600).script(ScriptedFault.status("PUT", "policyAssignments", 429, 1));

        assertThatThrownBy(() -> events.put(ArmOperation.PUT_POLICY_ASSIGNMENT, assignment(A), document))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.status()).isEqualTo(429));
        emulator.stats().reset();

        // ARM paused the principal's writes to A for an hour: the other engine's write is not sent
        assertThatThrownBy(() -> sweeps.put(ArmOperation.PUT_POLICY_ASSIGNMENT, assignment(A), document))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).contains("not sent");
                });
        assertThat(emulator.stats().writes()).isZero();
        // B's budget is its own; a client of other settings has its own budget
        assertThat(sweeps.put(ArmOperation.PUT_POLICY_ASSIGNMENT, assignment(B),
                sweeps.get(ArmOperation.GET_POLICY_ASSIGNMENT, assignment(B))).path("name").asText())
                .isEqualTo("SecurityCenterBuiltIn");
        assertThat(elsewhere.put(ArmOperation.PUT_POLICY_ASSIGNMENT, assignment(A), document).path("name").asText())
                .isEqualTo("SecurityCenterBuiltIn");
        assertThat(emulator.stats().writes()).isEqualTo(2);
    }
}
