package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.decisions;
import static io.jitguard.functions.FunctionMocks.get;
import static io.jitguard.functions.FunctionMocks.onlyDecision;
import static io.jitguard.functions.FunctionMocks.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.ExecutionContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Remediate} and {@link Coverage} invoked with HTTP requests, against the emulator over HTTPS. */
class HttpFunctionsTest extends EmulatedEstate {
    ExecutionContext context = context("Remediate");

    HttpResponseMessage remediate(String body) {
        return new Remediate(runtime()).run(post("remediate", body), context);
    }

    HttpResponseMessage coverage(String scope) {
        return new Coverage(runtime()).run(get("coverage",
                scope == null ? Map.of() : Map.of("scope", scope)), context);
    }

    static JsonNode json(HttpResponseMessage response) throws IOException {
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        return JSON.readTree((String) response.getBody());
    }

    static String body(String scope, Boolean dryRun) {
        var node = JSON.createObjectNode().put("scope", scope);
        if (dryRun != null) {
            node.put("dryRun", dryRun);
        }
        return node.toString();
    }

    @Test
    void remediateFixesTheVmAndAnswersWithTheCliReport() throws IOException {
        HttpResponseMessage response = remediate(body(vmId("rg-web", "vm-web-2"), false));

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.fieldNames()).toIterable().containsExactly("mode", "dryRun", "trigger", "startedAt",
                "finishedAt", "scopes", "subscriptions", "vms", "writes", "plannedWrites", "failures", "armCalls",
                "totals", "controls");
        assertThat(report.path("trigger").asText()).isEqualTo("http:remediate");
        assertThat(report.path("dryRun").asBoolean()).isFalse();
        assertThat(status(report, "vm-web-2")).isEqualTo("fixed");
        assertThat(report.path("writes")).hasSize(1);
        assertThat(ports(resource(POLICY), "vm-web-2")).hasSize(4);
        JsonNode d = onlyDecision(context);
        assertThat(d.path("trigger").asText()).isEqualTo("http:remediate");
        assertThat(d.path("actor").asText()).isEqualTo(HttpAccess.UNVERIFIED);
        assertThat(d.path("result").asText()).isEqualTo("fixed");
    }

    @Test
    void withoutAuthenticationACallerSetPrincipalHeaderIsNeverBelieved() {
        new Remediate(runtime()).run(post("remediate", body(vmId("rg-web", "vm-web-2"), true),
                Map.of("X-MS-CLIENT-PRINCIPAL-NAME", "ciso@contoso.example", "X-MS-CLIENT-PRINCIPAL",
                        AuthenticatedHttpTest.principal("ciso@contoso.example", "Jitguard.Remediate"))), context);

        assertThat(onlyDecision(context).path("actor").asText()).isEqualTo("caller unverified (function key only)")
                .doesNotContain("ciso");
    }

    @Test
    void remediateInDryRunWritesNothing() throws IOException {
        HttpResponseMessage response = remediate(body(RG_WEB, true));

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.path("dryRun").asBoolean()).isTrue();
        assertThat(status(report, "vm-web-2")).isEqualTo("would-fix");
        assertThat(report.path("plannedWrites")).isNotEmpty();
        assertThat(emulator.stats().writes()).isZero();
        assertThat(onlyDecision(context).path("action").asText()).startsWith("would write");
    }

    @Test
    void remediateOfASubscriptionAlsoFixesItsMonitoringEffect() throws IOException {
        JsonNode report = json(remediate(body("/subscriptions/" + PROD, null)));

        assertThat(report.path("subscriptions").get(0).path("monitoringEffect").path("status").asText())
                .isEqualTo("fixed");
        assertThat(resource(ASSIGNMENT).path("properties").path("parameters").path("jitNetworkAccessMonitoringEffect")
                .path("value").asText()).isEqualTo("AuditIfNotExists");
    }

    @Test
    void invalidJsonIs400WithAReason() throws IOException {
        assertBadRequest(remediate("{\"scope\": "), "not valid JSON");
        assertBadRequest(remediate(""), "must be JSON");
        assertBadRequest(remediate("[1,2]"), "JSON object");
        assertBadRequest(remediate("{\"dryRun\": false}"), "\"scope\" must be");
        assertBadRequest(remediate("{\"scope\": 42}"), "\"scope\" must be");
        assertBadRequest(remediate("{\"scope\": \"" + RG_WEB + "\", \"dryRun\": \"no\"}"), "\"dryRun\" must be");
        assertBadRequest(remediate("{\"scope\": \"" + RG_WEB + "\", \"force\": true}"), "unknown field");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void aMalformedIdIs400() throws IOException {
        assertBadRequest(remediate(body("/subscriptions/not-a-guid/resourceGroups/rg-web", false)), "not a GUID");
        assertBadRequest(remediate(body(RG_WEB + "/../rg-data", false)), "'..'");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void anUnsupportedScopeTypeIs400() throws IOException {
        assertBadRequest(remediate(body(RG_WEB + "/providers/Microsoft.Storage/storageAccounts/st1", false)),
                "unsupported scope type");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void aSubscriptionOutsideTheConfiguredOnesIs403() throws IOException {
        env.put("JITGUARD_SUBSCRIPTIONS", SHARED + "," + DEV);
        HttpResponseMessage response = remediate(body(vmId("rg-web", "vm-web-2"), false));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(json(response).path("error").asText()).contains("JITGUARD_SUBSCRIPTIONS");
        assertThat(onlyDecision(context).path("result").asText()).isEqualTo("out-of-scope");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void armThatKeepsFailingWithoutRetryAfterIs503AfterSixtySeconds() {
        emulator.faults().script(List.of(ScriptedFault.of("GET", "virtualMachines", "500", 100)));

        HttpResponseMessage response = remediate(body(vmId("rg-web", "vm-web-2"), false));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("60");
    }

    @Test
    void armThatKeepsFailingIs503WithAReason() throws IOException {
        emulator.faults().script(List.of(ScriptedFault.of("GET", "virtualMachines", "503", 100)));

        HttpResponseMessage response = remediate(body(vmId("rg-web", "vm-web-2"), false));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).as("ARM's own Retry-After")
                .isEqualTo(Integer.toString(emulator.faults().retryAfterSeconds()));
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).startsWith("ARM kept failing").contains("503");
        assertThat(body.path("retryable").asBoolean()).isTrue();
        assertThat(body.path("report").path("failures")).isNotEmpty();
        assertThat(onlyDecision(context).path("result").asText()).isEqualTo("transient-failure");
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aPermanentArmRefusalIsReportedIn200() throws IOException {
        emulator.faults().script(List.of(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 403, 10)));

        HttpResponseMessage response = remediate(body(vmId("rg-web", "vm-web-2"), false));

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(status(report, "vm-web-2")).isEqualTo("failed");
        assertThat(report.path("failures").get(0).path("status").asInt()).isEqualTo(403);
        assertThat(onlyDecision(context).path("result").asText()).isEqualTo("failed");
    }

    @Test
    void invalidSettingsAre500NamingTheSetting() throws IOException {
        env.put("JITGUARD_MAX_DURATION", "forever");
        HttpResponseMessage response = remediate(body(vmId("rg-web", "vm-web-2"), false));

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(json(response).path("error").asText()).contains("JITGUARD_MAX_DURATION");
    }

    @Test
    void coverageReportsInAuditModeAndNeverWrites() throws IOException {
        HttpResponseMessage response = coverage("/subscriptions/" + PROD);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.path("trigger").asText()).isEqualTo("http:coverage");
        assertThat(report.path("dryRun").asBoolean()).isTrue();
        assertThat(status(report, "vm-web-1")).isEqualTo("compliant");
        assertThat(status(report, "vm-web-2")).isEqualTo("would-fix");
        assertThat(status(report, "vm-nonsg")).isEqualTo("unsupported");
        assertThat(report.path("writes")).isEmpty();
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void coverageNeedsAScope() throws IOException {
        assertBadRequest(coverage(null), "scope=");
        assertBadRequest(coverage("not-an-id"), "/subscriptions/");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void coverageOutsideTheConfiguredSubscriptionsIs403() {
        env.put("JITGUARD_SUBSCRIPTIONS", DEV);
        assertThat(coverage(RG_WEB).getStatusCode()).isEqualTo(403);
    }

    void assertBadRequest(HttpResponseMessage response, String reasonFragment) throws IOException {
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).contains(reasonFragment);
        assertThat(decisions(context).get(decisions(context).size() - 1).path("result").asText())
                .isEqualTo("rejected");
    }
}
