package io.jitguard.cli;

import static io.jitguard.testing.EstateEdits.resource;
import static io.jitguard.testing.EstateEdits.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.emulator.Estate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 ("works on a real tenant") end to end through the CLI: the tenant estate of the emulator
 * (src/emulator/src/test/resources/tenant-estate.json) with its MCSB v2 assignment named {@code SecurityCenterBuiltIn}.
 */
class TenantEstateTest extends CliFixture {
    static final String SUB = "44444444-4444-4444-4444-444444444444";
    static final String UNREGISTERED = "55555555-5555-5555-5555-555555555555";
    static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg-(prod)-é";
    static final String ASSIGNMENT = "/subscriptions/" + SUB
            + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";

    @Override
    Estate estate() {
        return null;
    }

    void start(Consumer<ObjectNode> edit) throws IOException {
        startTenant(edit);
    }


    static final String DEFAULT = RG + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
    static final String HIDDEN = RG + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/hidden";
    static final String VM = RG + "/providers/Microsoft.Compute/virtualMachines/vm-app-1";
    static final String JIT_REF = "jitNetworkAccessMonitoring";

    static JsonNode monitoring(JsonNode report, String sub) {
        for (JsonNode s : report.path("subscriptions")) {
            if (s.path("id").asText().equals(sub)) {
                return s.path("monitoringEffect");
            }
        }
        throw new AssertionError("no subscription " + sub + " in " + report);
    }

    static JsonNode vm(JsonNode report, String id) {
        for (JsonNode v : report.path("vms")) {
            if (v.path("id").asText().equalsIgnoreCase(id)) {
                return v;
            }
        }
        throw new AssertionError("no VM " + id + " in " + report.path("vms"));
    }

    static ObjectNode assignment(ObjectNode estate) {
        return resource(estate, "policyAssignments/SecurityCenterBuiltIn");
    }

    static java.util.List<String> vmIds(JsonNode policy) {
        return policy.path("properties").path("virtualMachines").findValuesAsText("id");
    }

    JsonNode stored(String id) {
        return emulator.resource(id).orElseThrow(() -> new AssertionError("no resource " + id));
    }

    @Test
    void exemptionsCoveringTheJitAuditAreReportedWithCategoryAndExpiryAndNeverDeleted() throws IOException {
        start(e -> { });
        JsonNode report = sweep();

        String reason = monitoring(report, SUB).path("reason").asText();
        assertThat(reason).as(stdout + stderr)
                .contains("exemption waive-lab (Waiver, expires 2099-01-01T00:00:00Z) exempts /subscriptions/" + SUB)
                .contains("jitguard does not delete exemptions")
                .doesNotContain("could not be listed")
                .doesNotContain("exemption other") // another assignment's exemption
                .doesNotContain("mitigated-old"); // expired in 2020: it exempts nothing any more
        for (String name : new String[] {"waive-lab", "other"}) {
            assertThat(emulator.resource("/subscriptions/" + SUB
                    + "/providers/Microsoft.Authorization/policyExemptions/" + name)).isPresent();
        }
        assertThat(emulator.resource(RG + "/providers/Microsoft.Authorization/policyExemptions/mitigated-old"))
                .isPresent();
        assertThat(emulator.stats().byOperation().keySet()).noneMatch(k -> k.startsWith("DELETE"));
        // the api-version jitguard lists exemptions with is one Azure (and so the emulator) serves
        assertThat(io.jitguard.arm.ArmOperation.LIST_POLICY_EXEMPTIONS.apiVersion())
                .isIn("2020-07-01-preview", "2022-07-01-preview", "2024-12-01-preview");
    }

    @Test
    void aDisablingOverrideAloneIsRemovedAndEverythingElseOfTheAssignmentKept() throws IOException {
        start(e -> {
            ObjectNode props = (ObjectNode) assignment(e).path("properties");
            props.putArray("notScopes").add("/subscriptions/" + SUB + "/resourceGroups/databricks-rg-ws1");
            props.putObject("metadata").put("assignedBy", "Security team");
        });
        String instanceId = JSON.readTree(getAssignment()).path("properties").path("instanceId").asText();
        JsonNode report = sweep();

        assertThat(monitoring(report, SUB).path("status").asText()).as(stdout + stderr).isEqualTo("fixed");
        assertThat(monitoring(report, SUB).path("before").asText()).isEqualTo("Disabled (override)");
        JsonNode after = JSON.readTree(getAssignment());
        JsonNode p = after.path("properties");
        assertThat(p.path("overrides")).isEmpty();
        assertThat(p.path("definitionVersion").asText()).isEqualTo("2.*.*");
        assertThat(p.path("notScopes").get(0).asText()).endsWith("/databricks-rg-ws1");
        assertThat(p.path("metadata").path("assignedBy").asText()).isEqualTo("Security team");
        assertThat(p.path("policyDefinitionId").asText()).endsWith("e3ec7e09-768c-4b64-882c-fcada3772047");
        assertThat(p.path("instanceId").asText()).isEqualTo(instanceId); // updated, not re-created
        assertThat(after.path("identity").path("type").asText()).isEqualTo("SystemAssigned");

        JsonNode again = sweep();
        assertThat(monitoring(again, SUB).path("status").asText()).isEqualTo("compliant");
        assertThat(again.path("writes")).noneMatch(w -> w.asText().contains("policyAssignments"));
    }

    @Test
    void onlyTheJitReferenceIsTakenOutOfAnOverrideSelectingOthersTooAndReadOnlyFieldsAreNotSent() throws IOException {
        start(e -> {
            ObjectNode props = (ObjectNode) assignment(e).path("properties");
            ArrayNode overrides = props.putArray("overrides");
            ObjectNode both = overrides.addObject().put("kind", "policyEffect").put("value", "Disabled");
            both.putArray("selectors").addObject().put("kind", "policyDefinitionReferenceId").putArray("in")
                    .add(JIT_REF).add("diskEncryptionMonitoring");
            ObjectNode other = overrides.addObject().put("kind", "policyEffect").put("value", "Audit");
            other.putArray("selectors").addObject().put("kind", "policyDefinitionReferenceId").putArray("in")
                    .add("endpointProtectionMonitoring");
        });
        // what would be sent: the planned document of a dry run
        JsonNode planned = sweep("--dry-run");
        JsonNode body = null;
        for (JsonNode c : planned.path("plannedChanges")) {
            if (c.path("target").asText().endsWith("/SecurityCenterBuiltIn")) {
                body = c.path("after");
            }
        }
        assertThat(body).as(planned.toString()).isNotNull();
        assertThat(body.has("id") || body.has("name") || body.has("type") || body.has("systemData")).isFalse();
        for (String readOnly : new String[] {"scope", "instanceId", "latestDefinitionVersion",
                "effectiveDefinitionVersion"}) {
            assertThat(body.path("properties").has(readOnly)).as(readOnly).isFalse();
        }
        assertThat(body.path("identity").has("principalId")).isFalse();
        assertThat(body.path("identity").has("tenantId")).isFalse();
        assertThat(emulator.stats().writes()).isZero();

        sweep();
        JsonNode overrides = JSON.readTree(getAssignment()).path("properties").path("overrides");
        assertThat(overrides).hasSize(2);
        assertThat(overrides.get(0).path("value").asText()).isEqualTo("Disabled");
        assertThat(overrides.get(0).at("/selectors/0/in")).singleElement()
                .satisfies(n -> assertThat(n.asText()).isEqualTo("diskEncryptionMonitoring"));
        assertThat(overrides.get(1).path("value").asText()).isEqualTo("Audit");
        assertThat(overrides.get(1).at("/selectors/0/in/0").asText()).isEqualTo("endpointProtectionMonitoring");
    }

    @Test
    void anMcsbV2AssignmentWithoutOverridesIsCompliantWithoutTheParameter() throws IOException {
        start(e -> ((ObjectNode) assignment(e).path("properties")).putArray("overrides"));
        JsonNode report = sweep();
        assertThat(monitoring(report, SUB).path("status").asText()).as(stdout + stderr).isEqualTo("compliant");
        assertThat(report.path("writes")).noneMatch(w -> w.asText().contains("policyAssignments"));
    }

    @Test
    void anAssignmentOfAnUnknownInitiativeIsReportedUnrecognizedAndNotWritten() throws IOException {
        start(e -> ((ObjectNode) assignment(e).path("properties")).put("policyDefinitionId",
                "/providers/Microsoft.Authorization/policySetDefinitions/00000000-1111-2222-3333-444444444444"));
        JsonNode report = sweep();
        assertThat(monitoring(report, SUB).path("status").asText()).as(stdout + stderr).isEqualTo("unrecognized");
        assertThat(monitoring(report, SUB).path("reason").asText()).contains("00000000-1111-2222-3333-444444444444");
        assertThat(report.path("writes")).noneMatch(w -> w.asText().contains("policyAssignments"));
        assertThat(stored(ASSIGNMENT).at("/properties/overrides/0/value").asText()).isEqualTo("Disabled");
    }

    @Test
    void theAssignmentIsWrittenBeforeTheJitPoliciesOfTheSameRun() throws IOException {
        start(e -> { });
        sweep();
        java.util.List<String> written = emulator.events().stream()
                .filter(ev -> ev.path("eventType").asText().endsWith("ResourceWriteSuccess"))
                .map(ev -> ev.path("subject").asText()).toList();
        assertThat(written).as(stdout).hasSizeGreaterThanOrEqualTo(2);
        assertThat(written.get(0)).isEqualToIgnoringCase(ASSIGNMENT);
        assertThat(written.subList(1, written.size())).allMatch(s -> s.contains("jitNetworkAccessPolicies"));
    }

    @Test
    void notScopesHoldingVmsNameTheVmsOutsideJitMonitoring() throws IOException {
        start(e -> ((ObjectNode) assignment(e).path("properties")).putArray("notScopes").add(RG));
        JsonNode report = sweep();
        assertThat(monitoring(report, SUB).path("reason").asText()).as(stdout + stderr)
                .contains("notScope " + RG + " keeps 1 VM(s) outside JIT monitoring: vm-app-1");
        assertThat(JSON.readTree(getAssignment()).path("properties").path("notScopes").get(0).asText())
                .isEqualTo(RG);
    }

    @Test
    void anUnregisteredSecurityProviderBlocksTheVmsWithThatReasonAndTheMonitoringEffectIsStillFixed()
            throws IOException {
        String u = "/subscriptions/" + UNREGISTERED;
        String vmU = u + "/resourceGroups/rg-u/providers/Microsoft.Compute/virtualMachines/vm-u";
        start(e -> {
            ArrayNode res = (ArrayNode) e.path("subscriptions").get(1).path("resources");
            String rgU = u + "/resourceGroups/rg-u/providers/Microsoft.Network/";
            res.addObject().put("id", rgU + "networkSecurityGroups/nsg-u").put("location", "westeurope")
                    .putObject("properties").putArray("securityRules");
            ObjectNode vnet = res.addObject().put("id", rgU + "virtualNetworks/vnet-u").put("location", "westeurope");
            ObjectNode subnet = vnet.putObject("properties").putArray("subnets").addObject()
                    .put("id", rgU + "virtualNetworks/vnet-u/subnets/snet-u").put("name", "snet-u");
            subnet.putObject("properties").put("addressPrefix", "10.5.0.0/24").putObject("networkSecurityGroup")
                    .put("id", rgU + "networkSecurityGroups/nsg-u");
            ObjectNode nic = res.addObject().put("id", rgU + "networkInterfaces/vm-u-nic").put("location", "westeurope");
            ObjectNode nicProps = nic.putObject("properties");
            ObjectNode ipc = nicProps.putArray("ipConfigurations").addObject()
                    .put("id", rgU + "networkInterfaces/vm-u-nic/ipConfigurations/ipconfig1").put("name", "ipconfig1");
            ipc.putObject("properties").put("privateIPAddress", "10.5.0.4").putObject("subnet")
                    .put("id", rgU + "virtualNetworks/vnet-u/subnets/snet-u");
            nicProps.putObject("networkSecurityGroup").put("id", rgU + "networkSecurityGroups/nsg-u");
            nicProps.putObject("virtualMachine").put("id", vmU);
            res.addObject().put("id", vmU).put("location", "westeurope").putObject("properties")
                    .putObject("networkProfile").putArray("networkInterfaces").addObject()
                    .put("id", rgU + "networkInterfaces/vm-u-nic").putObject("properties").put("primary", true);
            ObjectNode a = res.addObject();
            a.put("id", u + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn")
                    .put("location", "westeurope");
            ObjectNode p = a.putObject("properties");
            p.put("policyDefinitionId",
                    "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8");
            p.putObject("parameters").putObject("jitNetworkAccessMonitoringEffect").put("value", "Disabled");
        });
        JsonNode report = sweep();

        JsonNode v = vm(report, vmU);
        assertThat(v.path("status").asText()).as(stdout + stderr).isEqualTo("blocked");
        assertThat(v.path("reason").asText()).contains("MissingSubscriptionRegistration").contains("not registered");
        assertThat(monitoring(report, UNREGISTERED).path("status").asText()).isEqualTo("fixed");
        assertThat(report.path("failures")).as(stdout).isEmpty();
        assertThat(report.path("totals").path("unreadableSubscriptions").asInt()).isZero();
    }

    @Test
    void aPolicyMissingFromTheSubscriptionListNeverGetsItsVmsDuplicatedIntoDefault() throws IOException {
        start(e -> { // vm-app-1 only in "hidden", which the subscription-scope list leaves out
            ArrayNode vms = (ArrayNode) resource(e, "jitNetworkAccessPolicies/default").path("properties")
                    .path("virtualMachines");
            vms.remove(0);
        });
        sweep();
        sweep();
        assertThat(vmIds(stored(DEFAULT))).as(stdout + stderr).noneMatch(id -> id.equalsIgnoreCase(VM));
        assertThat(vmIds(stored(HIDDEN))).anyMatch(id -> id.equalsIgnoreCase(VM));
    }

    @Test
    void aNewVmGoesToDefaultNotToASpecialPurposePolicy() throws IOException {
        start(e -> {
            ArrayNode res = resources(e);
            for (int i = res.size() - 1; i >= 0; i--) {
                if (res.get(i).path("id").asText().contains("jitNetworkAccessPolicies/hidden")) {
                    res.remove(i);
                }
            }
            ObjectNode ops = resource(e, "jitNetworkAccessPolicies/default");
            ops.put("id", ops.path("id").asText().replace("/default", "/ops-jit"));
            ((ArrayNode) ops.path("properties").path("virtualMachines")).remove(0); // lists only vm-deleted now
        });
        emulator.faults(); // no faults
        JsonNode report = sweep();
        assertThat(vm(report, VM).path("policyId").asText()).as(stdout + stderr).endsWith("/default");
        assertThat(vmIds(stored(DEFAULT))).anyMatch(id -> id.equalsIgnoreCase(VM));
        assertThat(emulator.resource(RG + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies"
                + "/ops-jit").map(TenantEstateTest::vmIds).orElse(java.util.List.of()))
                .noneMatch(id -> id.equalsIgnoreCase(VM));
    }

    @Test
    void aVmDeletedThroughArmIsTakenOutOfItsPolicyByTheDeleteEventAndTheRequestHistoryStays() throws Exception {
        start(e -> {
            ObjectNode props = (ObjectNode) resource(e, "jitNetworkAccessPolicies/default").path("properties");
            ObjectNode request = props.putArray("requests").addObject();
            request.put("startTimeUtc", "2024-01-01T00:00:00Z").put("requestor", "alice@example.com");
            request.putArray("virtualMachines").addObject().put("id", VM);
        });
        assertThat(delete(VM)).isEqualTo(200);
        ObjectNode event = emulator.events().stream()
                .filter(ev -> ev.path("eventType").asText().equals("Microsoft.Resources.ResourceDeleteSuccess"))
                .findFirst().orElseThrow();
        Path events = tmp.resolve("events.json");
        Files.writeString(events, JSON.createArrayNode().add(event).toString());
        Path file = tmp.resolve("r.json");
        run("handle-event", "--file", events.toString(), "--report", file.toString());

        JsonNode policy = stored(DEFAULT);
        assertThat(vmIds(policy)).as(stdout + stderr).noneMatch(id -> id.equalsIgnoreCase(VM));
        assertThat(policy.at("/properties/requests/0/requestor").asText()).isEqualTo("alice@example.com");
        assertThat(report(file).toString()).contains("remove entry of deleted VM " + VM);
    }

    @Test
    void aForbiddenVmGetKeepsTheEntryOfAVmTheListLacks() throws IOException {
        start(e -> { });
        emulator.faults().script(io.jitguard.emulator.FaultPlan.ScriptedFault.status("GET",
                "virtualMachines/vm-deleted", 403, 50));
        sweep();
        assertThat(vmIds(stored(DEFAULT))).as(stdout + stderr).anyMatch(id -> id.endsWith("/vm-deleted"));
    }

    int delete(String id) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(javax.net.ssl.SSLContext.getDefault()).build();
        java.net.URI uri = java.net.URI.create(emulator.endpoint().replaceAll("/$", "")
                + new java.net.URI(null, null, id, null).getRawPath() + "?api-version=2024-07-01");
        return client.send(java.net.http.HttpRequest.newBuilder(uri).DELETE()
                .header("Authorization", "Bearer test-token").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    String getAssignment() {
        try {
            return getAssignment0();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String getAssignment0() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(javax.net.ssl.SSLContext.getDefault()).build();
        java.net.URI uri = java.net.URI.create(emulator.endpoint().replaceAll("/$", "") + ASSIGNMENT
                + "?api-version=2025-03-01");
        return client.send(java.net.http.HttpRequest.newBuilder(uri).GET()
                .header("Authorization", "Bearer test-token").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
}
