package io.jitguard.cli;

import static io.jitguard.testing.ExampleEstate.DEV;
import static io.jitguard.testing.ExampleEstate.PROD;
import static io.jitguard.testing.ExampleEstate.SHARED;
import static io.jitguard.testing.ExampleEstate.status;
import static io.jitguard.testing.ExampleEstate.vmId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 "Tells the truth, every time": each test failed on the code before it (wrong exit code, no report, counts
 * that left out what could not be read). CLI through {@link Main#run} against the emulator over HTTPS.
 */
class TruthTest extends CliFixture {
    void assertRejected(String reasonFragment, String... args) {
        assertThat(run(args)).as(stdout + stderr).isEqualTo(2);
        assertThat(stderr).contains(reasonFragment);
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aResourceGroupThatDoesNotExistIsAnErrorNotZeroCompliant() throws IOException {
        Path file = tmp.resolve("r.json");
        int code = run("fix", "--scope", "/subscriptions/" + PROD + "/resourceGroups/rg-nope", "--report",
                file.toString());

        assertThat(code).as(stdout + stderr).isEqualTo(3);
        assertThat(stdout).contains("1 scope (1 unreadable, 1 not found)").contains("rg-nope");
        JsonNode report = report(file);
        assertThat(report.path("failures").get(0).path("status").asInt()).isEqualTo(404);
        assertThat(report.path("totals").path("notFoundScopes").asInt()).isEqualTo(1);
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aVmThatDoesNotExistIsAnError() throws IOException {
        Path file = tmp.resolve("r.json");
        int code = run("fix", "--scope", vmId("rg-web", "vm-typo"), "--report", file.toString());

        assertThat(code).as(stdout + stderr).isEqualTo(3);
        assertThat(report(file).path("failures").get(0).path("code").asText()).isEqualTo("ResourceNotFound");
    }

    @Test
    void unreadableSubscriptionsAreCountedAndTheRunCouldNotFinish() throws IOException {
        emulator.faults().script(ScriptedFault.status("GET", "/subscriptions/" + DEV + "/resourcegroups", 403, 1),
                ScriptedFault.status("GET", "/subscriptions/" + SHARED + "/resourcegroups", 403, 1));
        Path file = tmp.resolve("r.json");
        int code = run("sweep", "--dry-run", "--report", file.toString());

        assertThat(code).as(stdout + stderr).isEqualTo(3);
        assertThat(stdout).contains("3 subscriptions (2 unreadable)").contains("failures: 2");
        JsonNode totals = report(file).path("totals");
        assertThat(totals.path("subscriptions").asInt()).isEqualTo(3);
        assertThat(totals.path("unreadableSubscriptions").asInt()).isEqualTo(2);
        assertThat(totals.path("failures").asInt()).isEqualTo(2);
        assertThat(stderr).contains("403");
    }

    @Test
    void anAuthenticationFailureExitsThreeWithOneHintAndStillWritesTheReport() throws IOException {
        emulator.faults().script(ScriptedFault.status(null, null, 401, 1000));
        Path file = tmp.resolve("r.json");
        int code = run("sweep", "--report", file.toString());

        assertThat(code).as(stdout + stderr).isEqualTo(3);
        assertThat(report(file).path("failures").get(0).path("status").asInt()).isEqualTo(401);
        assertThat(stderr.lines().filter(l -> l.contains("401")).count()).isEqualTo(1);
        assertThat(stderr).contains("JITGUARD_ARM_TOKEN");
    }

    @Test
    void aConnectionFailureExitsThreeAndWritesTheReport() throws IOException {
        env.put("JITGUARD_ARM_ENDPOINT", "https://127.0.0.1:1/");
        env.put("JITGUARD_SUBSCRIPTIONS", PROD);
        Path file = tmp.resolve("r.json");
        int code = run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--report", file.toString());

        assertThat(code).as(stdout + stderr).isEqualTo(3);
        assertThat(report(file).path("failures").get(0).path("code").asText()).isEqualTo("ConnectionFailed");
        assertThat(stderr).contains("could not connect");
    }

    @Test
    void anUnsupportedByDesignVmDoesNotFailAFixedEstateUnlessAsked() {
        String classic = "/subscriptions/" + PROD
                + "/resourceGroups/rg-legacy/providers/Microsoft.ClassicCompute/virtualMachines/vm-classic-1";
        assertThat(run("fix", "--scope", "/subscriptions/" + PROD + "/resourceGroups/rg-legacy"))
                .as(stdout + stderr).isZero();
        assertThat(stdout).contains("unsupported").contains("vm-classic-1");
        assertThat(run("fix", "--scope", "/subscriptions/" + PROD + "/resourceGroups/rg-legacy",
                "--fail-on", "unsupported")).isEqualTo(1);
        assertThat(classic).isNotEmpty();
    }

    @Test
    void failOnAcceptsOnlyRealStatuses() {
        assertRejected("--fail-on", "sweep", "--fail-on", "would-fix,bogus");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void reportDashWritesJsonToStdoutAndTheSummaryToStderr() throws IOException {
        int code = run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--dry-run", "--report", "-");

        assertThat(code).isEqualTo(1);
        JsonNode report = JSON.readTree(stdout);
        assertThat(status(report, "vm-web-2")).isEqualTo("would-fix");
        assertThat(report.path("totals").path("vms").path("would-fix").asInt()).isEqualTo(1);
        assertThat(stderr).contains("would-fix").contains("ARM calls");
    }

    @Test
    void enforcingWithoutSharedStorageSaysSoOnceAndInTheReport() throws IOException {
        Path file = tmp.resolve("r.json");
        run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--report", file.toString());

        assertThat(stderr.lines().filter(l -> l.contains("in-process")).count()).isEqualTo(1);
        assertThat(report(file).path("locks").asText()).isEqualTo("in-process");
        assertThat(report(file).path("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void verboseLogsArmCallsWithoutHeaders() {
        run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--dry-run", "--verbose");

        assertThat(stderr).contains("GET /subscriptions/" + PROD + "/resourceGroups/rg-web/providers/Microsoft.Compute"
                + "/virtualMachines/vm-web-2 -> 200").doesNotContain("test-token").doesNotContain("Bearer");
    }

    @Test
    void helpIsACommandAndListsExitCodesSettingsAndAnExample() {
        assertThat(run("help", "fix")).isZero();
        assertThat(stdout).contains("Exit codes:").contains("JITGUARD_MODE").contains("Example:")
                .contains("3  the run could not finish");
    }

    @Test
    void aWriteArmAppliedButWhoseAnswerWasLostIsReadBackAndReportedFixed() throws IOException {
        emulator.faults().script(ScriptedFault.of("PUT", "jitNetworkAccessPolicies", "lost-answer", 10));
        Path file = tmp.resolve("r.json");
        int code = run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--report", file.toString());

        assertThat(io.jitguard.testing.ExampleEstate.ports(emulator.resource(io.jitguard.testing.ExampleEstate.POLICY)
                .orElseThrow(), "vm-web-2")).hasSize(4); // ARM holds it
        assertThat(status(report(file), "vm-web-2")).as(stdout + stderr).isEqualTo("fixed");
        assertThat(report(file).path("failures")).isEmpty();
        assertThat(code).isZero();
    }

    @Test
    void throttlingWithALongRetryAfterIsReportedAsArmSaidItAndFailsFast() throws IOException {
        emulator.faults().retryAfterSeconds(3600);
        emulator.faults().script(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 429, 10));
        Path file = tmp.resolve("r.json");
        run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--report", file.toString());

        JsonNode failure = report(file).path("failures").get(0);
        assertThat(failure.path("status").asInt()).as(stdout + stderr).isEqualTo(429);
        assertThat(failure.path("code").asText()).isEqualTo("SubscriptionRequestsThrottled");
        assertThat(failure.path("retryAfter").asLong()).isEqualTo(3600);
        assertThat(stdout).contains("retry after 3600 s");
        assertThat(emulator.faults().pendingScript().get(0).times()).isEqualTo(9); // one attempt, no waiting
    }

    @Test
    void theEmulatorPrintsPasteableExportsThatLeaveTheJvmsTrustAlone() {
        Path home = Path.of("/home/dana");
        String lines = EmulatorCommand.exports("https://localhost:8443/",
                home.resolve(".jitguard/emulator-tls/ca.pem"), home);
        assertThat(lines).isEqualTo("export JITGUARD_ARM_ENDPOINT=https://localhost:8443/ JITGUARD_ARM_TOKEN=emulator-token\n"
                + "export JITGUARD_ARM_CA_FILE=\"$HOME/.jitguard/emulator-tls/ca.pem\"");
        assertThat(lines).doesNotContain("JAVA_TOOL_OPTIONS");
        // elsewhere, the absolute path, quoted for the shell
        assertThat(EmulatorCommand.exports("https://localhost:8443/", Path.of("/srv/it's/ca.pem"), home))
                .endsWith("export JITGUARD_ARM_CA_FILE='/srv/it'\\''s/ca.pem'");
    }

    @Test
    void aTypoScopeSaysTheScopeWasNotFoundWithoutAMisleadingSubscriptionRow() {
        int code = run("fix", "--scope", "/subscriptions/" + PROD + "/resourceGroups/rg-nope");

        assertThat(code).as(stdout + stderr).isEqualTo(3);
        assertThat(stdout).contains("scope not found: /subscriptions/" + PROD + "/resourceGroups/rg-nope")
                .doesNotContain("(0 unreadable)").doesNotContain("defender ?").doesNotContain("monitoring ?");
    }

    @Test
    void aSingleVmFixDoesNotCountTheMonitoringEffectAsNotInScope() {
        assertThat(run("fix", "--scope", vmId("rg-web", "vm-web-2"))).as(stdout + stderr).isZero();
        assertThat(stdout).doesNotContain("not-in-scope").contains("monitoring: not in this scope");
    }
}
