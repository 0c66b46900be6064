package io.jitguard.cli;

import static io.jitguard.testing.ExampleEstate.ASSIGNMENT;
import static io.jitguard.testing.ExampleEstate.DEV;
import static io.jitguard.testing.ExampleEstate.POLICY;
import static io.jitguard.testing.ExampleEstate.PROD;
import static io.jitguard.testing.ExampleEstate.RG_WEB;
import static io.jitguard.testing.ExampleEstate.SHARED;
import static io.jitguard.testing.ExampleEstate.ports;
import static io.jitguard.testing.ExampleEstate.status;
import static io.jitguard.testing.ExampleEstate.vmId;
import static io.jitguard.testing.ExampleEstate.vmNamed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.emulator.ArmEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every CLI command through the real SDK, over HTTPS, against the stateful emulator on the example estate. */
class CliTest extends CliFixture {
    @Test
    void dryRunSweepReportsEveryStatusAndWritesNothing() throws IOException {
        Path file = tmp.resolve("report.json");
        int code = run("sweep", "--dry-run", "--report", file.toString());

        assertThat(code).isEqualTo(1);
        JsonNode report = report(file);
        assertThat(report.path("mode").asText()).isEqualTo("enforce");
        assertThat(report.path("dryRun").asBoolean()).isTrue();
        assertThat(report.path("startedAt").asText()).isNotEmpty();
        assertThat(report.path("finishedAt").asText()).isNotEmpty();
        assertThat(status(report, "vm-web-1")).isEqualTo("compliant");
        assertThat(status(report, "vm-web-2")).isEqualTo("would-fix");
        assertThat(status(report, "vm-web-3")).isEqualTo("would-fix");
        assertThat(status(report, "vm-nonsg")).isEqualTo("unsupported");
        // the example estate tags these jitguard-exclude=true: tags are off by default, and true is never honoured
        assertThat(status(report, "vm-lab-1")).isEqualTo("would-fix");
        assertThat(status(report, "vm-web-excluded")).isEqualTo("would-fix");
        assertThat(stdout).contains("exclusion-refused");
        assertThat(status(report, "vm-dev-1")).isEqualTo("blocked");
        assertThat(report.path("writes")).isEmpty();
        assertThat(report.path("plannedWrites")).isNotEmpty();
        assertThat(report.path("armCalls").path("writes").asLong()).isZero();
        assertThat(emulator.stats().writes()).isZero();
        assertThat(stdout).contains("would-fix").contains("vm-web-2");
    }

    @Test
    void enforceSweepFixesKeepsEverythingAndASecondSweepWritesNothing() throws IOException {
        JsonNode policyBefore = emulator.resource(POLICY).orElseThrow();
        Path first = tmp.resolve("first.json");
        int code = run("sweep", "--report", first.toString());

        assertThat(code).as(stderr).isEqualTo(1);
        JsonNode report = report(first);
        assertThat(status(report, "vm-web-2")).isEqualTo("fixed");
        assertThat(status(report, "vm-web-3")).isEqualTo("fixed");
        assertThat(status(report, "vm-db-1")).isEqualTo("fixed");
        assertThat(status(report, "vm-behind-fw")).isEqualTo("fixed");
        assertThat(report.path("writes")).isNotEmpty();
        assertThat(report.path("armCalls").path("writes").asLong()).isEqualTo(report.path("writes").size());

        ObjectNode policy = emulator.resource(POLICY).orElseThrow();
        assertThat(ports(policy, "vm-web-2")).contains("22/*/PT3H", "3389/*/PT3H", "5985/*/PT3H", "5986/*/PT3H");
        assertThat(ports(policy, "vm-web-3")).contains("3389/*/PT3H", "5985/*/PT3H", "5986/*/PT3H")
                .anyMatch(p -> p.startsWith("8080/TCP/"));
        assertThat(policy.path("properties").path("requests"))
                .isEqualTo(policyBefore.path("properties").path("requests"));
        assertThat(ports(policy, "vm-web-1")).isEqualTo(ports(policyBefore, "vm-web-1"));

        JsonNode assignment = emulator.resource(ASSIGNMENT).orElseThrow();
        JsonNode parameters = assignment.path("properties").path("parameters");
        assertThat(parameters.path("jitNetworkAccessMonitoringEffect").path("value").asText())
                .isEqualTo("AuditIfNotExists");
        assertThat(parameters.path("diskEncryptionMonitoringEffect").path("value").asText()).isEqualTo("Disabled");
        assertThat(assignment.path("properties").path("notScopes")).isNotEmpty();

        long writesAfterFirst = emulator.stats().writes();
        Path second = tmp.resolve("second.json");
        run("sweep", "--report", second.toString());
        assertThat(report(second).path("armCalls").path("writes").asLong()).isZero();
        assertThat(report(second).path("writes")).isEmpty();
        assertThat(emulator.stats().writes()).isEqualTo(writesAfterFirst);
    }

    @Test
    void fixOfOneVmReadsOnlyItsOwnResourcesAndExitsZero() throws IOException {
        Path file = tmp.resolve("fix.json");
        int code = run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--report", file.toString());

        assertThat(code).as(stderr + stdout).isZero();
        JsonNode report = report(file);
        assertThat(report.path("vms")).hasSize(1);
        assertThat(status(report, "vm-web-2")).isEqualTo("fixed");
        assertThat(ports(emulator.resource(POLICY).orElseThrow(), "vm-web-2")).hasSize(4);
        assertThat(emulator.stats().byOperation().keySet())
                .noneMatch(op -> op.startsWith("GET") && op.contains("subscriptions ") );
        assertThat(report.path("armCalls").path("reads").asLong()).isLessThan(12);
    }

    @Test
    void fixOfAResourceGroupFixesOnlyThatGroup() throws IOException {
        Path file = tmp.resolve("rg.json");
        run("fix", "--scope", RG_WEB, "--report", file.toString());

        JsonNode report = report(file);
        assertThat(report.path("vms")).allMatch(vm -> vm.path("id").asText().contains("/resourceGroups/rg-web/"));
        assertThat(status(report, "vm-web-2")).isEqualTo("fixed");
        // vm-web-with-a-very-long-name-for-the-reporting-tier-01 cannot sit in "default" (56-character rule)
        assertThat(report.path("writes")).extracting(JsonNode::asText)
                .containsExactly(POLICY, POLICY.replace("/default", "/j"));
        assertThat(status(report, "vm-web-with-a-very-long-name-for-the-reporting-tier-01")).isEqualTo("fixed");
    }

    @Test
    void handleEventFixesTheVmAnEventNames() throws IOException {
        String event = ArmEmulator.resourceEvent(vmId("rg-web", "vm-web-2"),
                "Microsoft.Compute/virtualMachines/write", "Microsoft.Resources.ResourceWriteSuccess",
                Map.of("name", "Dana"), "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa").toString();
        Path events = Files.writeString(tmp.resolve("event.json"), event);
        Path file = tmp.resolve("report.json");

        int code = run("handle-event", "--file", events.toString(), "--report", file.toString());

        assertThat(code).as(stderr).isZero();
        assertThat(status(report(file), "vm-web-2")).isEqualTo("fixed");
    }

    @Test
    void handleEventCountsTheFixedVmsTimeToProtectFromTheEventsTime() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode event = ArmEmulator.resourceEvent(vmId("rg-web", "vm-web-2"),
                "Microsoft.Compute/virtualMachines/write", "Microsoft.Resources.ResourceWriteSuccess",
                Map.of("name", "Dana"), "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        event.put("eventTime", "2020-01-01T00:00:00Z");
        Path events = Files.writeString(tmp.resolve("event.json"), event.toString());
        Path file = tmp.resolve("report.json");

        run("handle-event", "--file", events.toString(), "--report", file.toString());

        for (JsonNode vm : report(file).path("vms")) {
            if (vm.path("id").asText().endsWith("/vm-web-2")) {
                assertThat(vm.path("timeToProtect").path("from").asText()).isEqualTo("event");
                assertThat(vm.path("timeToProtect").path("driftSince").asText()).isEqualTo("2020-01-01T00:00:00Z");
                assertThat(vm.path("controls").toString()).contains("\"Azure_Security_Benchmark_v3.0_NS-3\"");
                return;
            }
        }
        throw new AssertionError("vm-web-2 is not in the report");
    }

    @Test
    void manyEventsTouchingOnePolicyCostOneWrite() throws IOException {
        StringBuilder batch = new StringBuilder("[");
        for (String vm : List.of("vm-web-2", "vm-web-3", "vm-web-2")) {
            batch.append(ArmEmulator.resourceEvent(vmId("rg-web", vm), "Microsoft.Compute/virtualMachines/write",
                    "Microsoft.Resources.ResourceWriteSuccess", Map.of(), "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"))
                    .append(',');
        }
        batch.setLength(batch.length() - 1);
        batch.append(']');
        Path events = Files.writeString(tmp.resolve("batch.json"), batch.toString());
        Path file = tmp.resolve("report.json");

        run("handle-event", "--file", events.toString(), "--report", file.toString());

        JsonNode report = report(file);
        assertThat(report.path("writes")).hasSize(1);
        assertThat(emulator.stats().writes()).isEqualTo(1);
        assertThat(status(report, "vm-web-2")).isEqualTo("fixed");
        assertThat(status(report, "vm-web-3")).isEqualTo("fixed");
    }

    @Test
    void aPermanentArmRefusalIsReportedFailed() throws IOException {
        emulator.faults().script(io.jitguard.emulator.FaultPlan.ScriptedFault.status("PUT",
                "jitNetworkAccessPolicies", 403, 10));
        Path file = tmp.resolve("report.json");

        int code = run("fix", "--scope", vmId("rg-web", "vm-web-2"), "--report", file.toString());

        assertThat(code).isEqualTo(1);
        JsonNode report = report(file);
        assertThat(status(report, "vm-web-2")).isEqualTo("failed");
        assertThat(report.path("failures").get(0).path("status").asInt()).isEqualTo(403);
    }

    @Test
    void auditModeWritesNothing() {
        env.put("JITGUARD_MODE", "audit");
        int code = run("fix", "--scope", vmId("rg-web", "vm-web-2"));

        assertThat(code).isEqualTo(1);
        assertThat(stdout).contains("would-fix");
        assertThat(emulator.stats().writes()).isZero();
    }

    void assertRejected(String reasonFragment, String... args) {
        int code = run(args);
        assertThat(code).as(stdout + stderr).isEqualTo(2);
        assertThat(stderr).contains(reasonFragment);
        assertThat(stderr.lines().filter(l -> !l.isBlank()).count()).isGreaterThanOrEqualTo(1);
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void malformedEventJsonIsRejected() throws IOException {
        Path events = Files.writeString(tmp.resolve("bad.json"), "{\"id\": ");
        assertRejected("", "handle-event", "--file", events.toString());
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void anEventThatIsNotAnEventIsRejected() throws IOException {
        Path events = Files.writeString(tmp.resolve("bad.json"), "{\"hello\": \"world\"}");
        assertRejected("", "handle-event", "--file", events.toString());
    }

    @Test
    void anUnreadableEventFileIsRejected() {
        assertRejected("cannot be read", "handle-event", "--file", tmp.resolve("missing.json").toString());
    }

    @Test
    void aNonGuidSubscriptionIsRejected() {
        assertRejected("", "fix", "--scope", "/subscriptions/not-a-guid/resourceGroups/rg-web");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void anUnsupportedScopeTypeIsRejected() {
        assertRejected("", "fix", "--scope", "/subscriptions/" + PROD
                + "/resourceGroups/rg-web/providers/Microsoft.Storage/storageAccounts/st1");
    }

    @Test
    void theExampleEstatesExposedVmIsReportedAndFailsTheRunByDefault() throws IOException {
        String shared = "/subscriptions/33333333-3333-3333-3333-333333333333";
        Path file = tmp.resolve("exposed.json");
        int code = run("fix", "--scope", shared + "/resourceGroups/rg-shared", "--report", file.toString());

        assertThat(code).as(stderr + stdout).isEqualTo(ExitCodes.FINDINGS_REMAIN);
        JsonNode report = report(file);
        assertThat(status(report, "vm-shared-1")).isEqualTo("exposed");
        JsonNode port = vmNamed(report, "vm-shared-1").path("exposure").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(22);
        assertThat(port.path("rule").asText()).isEqualTo("allow-ssh-from-internet");
        assertThat(port.path("priority").asInt()).isEqualTo(300);
        assertThat(port.path("severity").asText()).isEqualTo("HIGH");
        // vm-shared-2 shares the subnet NSG: vm-shared-1's rule, written for every destination, lets the Internet in
        // to it too (MEDIUM: no public IP), past the JIT deny rules Defender wrote for vm-shared-2's address
        assertThat(status(report, "vm-shared-2")).isEqualTo("exposed");
        assertThat(vmNamed(report, "vm-shared-2").path("exposure").path("ports").get(0).path("severity").asText())
                .isEqualTo("MEDIUM");
        assertThat(report.path("totals").path("vms").path("exposed").asLong()).isEqualTo(2);
        assertThat(report.path("writes")).isEmpty();
        assertThat(stdout).contains("exposed: 22 open via nsg-shared/allow-ssh-from-internet (300, Internet) from "
                + "0.0.0.0/0; 2000::/3 HIGH");

        assertThat(run("fix", "--scope", shared + "/resourceGroups/rg-shared", "--fail-on", "would-fix,failed"))
                .as(stderr + stdout).isEqualTo(ExitCodes.COMPLIANT);
    }

    @Test
    void invalidExposureSettingsAreNamed() {
        env.put("JITGUARD_EXPOSURE_PREFIX_LENGTH", "33");
        assertRejected("JITGUARD_EXPOSURE_PREFIX_LENGTH", "sweep");
        env.remove("JITGUARD_EXPOSURE_PREFIX_LENGTH");
        env.put("JITGUARD_JIT_DENY_GRACE", "an hour");
        assertRejected("JITGUARD_JIT_DENY_GRACE", "sweep");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void anInvalidSettingIsNamed() {
        env.put("JITGUARD_PORTS", "22,abc");
        assertRejected("JITGUARD_PORTS", "sweep");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void aScopeOutsideTheConfiguredSubscriptionsIsRejected() {
        env.put("JITGUARD_SUBSCRIPTIONS", SHARED);
        assertRejected("JITGUARD_SUBSCRIPTIONS", "fix", "--scope", vmId("rg-web", "vm-web-2"));
    }

    @Test
    void aReportInAMissingDirectoryIsRejectedBeforeAnything() {
        assertRejected("--report", "sweep", "--report", tmp.resolve("no/such/dir/r.json").toString());
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void aSweepOfNamedSubscriptionsReadsOnlyThose() throws IOException {
        Path file = tmp.resolve("report.json");
        run("sweep", "--subscription", DEV, "--report", file.toString());

        JsonNode report = report(file);
        assertThat(report.path("subscriptions")).hasSize(1);
        assertThat(report.path("subscriptions").get(0).path("defenderPlan").asText()).startsWith("Free");
        assertThat(status(report, "vm-dev-1")).isEqualTo("blocked");
        assertThat(report.path("subscriptions").get(0).path("monitoringEffect").path("status").asText())
                .isEqualTo("compliant");
    }

    @Test
    void theEmulatorRefusesABadEstateNamingTheProblem() throws IOException {
        Path estate = Files.writeString(tmp.resolve("estate.json"),
                "{\"tenantId\": \"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", \"subscriptions\": [{\"displayName\": \"x\"}]}");

        int code = run("emulator", "--estate", estate.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr).contains("subscriptions[0]");
    }
}
