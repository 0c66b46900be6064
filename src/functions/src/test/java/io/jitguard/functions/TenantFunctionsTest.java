package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.binding;
import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.get;
import static io.jitguard.functions.FunctionMocks.onlyDecision;
import static io.jitguard.functions.FunctionMocks.post;
import static io.jitguard.functions.FunctionMocks.sent;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.ExecutionContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.events.RoutedOperations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Issues 9 and 10 through the function handlers: a VM deleted through ARM, scopes that do not exist, throttling with
 * a long Retry-After. The emulator over HTTPS, the real SDK; only ExecutionContext/HttpRequestMessage are doubles.
 */
class TenantFunctionsTest extends EmulatedEstate {
    static final String DELETE = "Microsoft.Resources.ResourceDeleteSuccess";
    static final String WRITE = "Microsoft.Resources.ResourceWriteSuccess";

    ExecutionContext context = context("OnResourceEvent");
    OutputBinding<List<String>> handoff = binding();

    void deliver(String body) {
        new OnResourceEvent(runtime()).run(body, handoff, context);
    }

    int armDelete(String id) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build();
        URI uri = URI.create(emulator.endpoint().replaceAll("/$", "") + id + "?api-version=2024-07-01");
        return client.send(HttpRequest.newBuilder(uri).DELETE().header("Authorization", "Bearer test-token").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The event ARM raised for the VM DELETE, as Event Grid delivers it. */
    ObjectNode deleteEvent(String vmId) {
        return emulator.events().stream().filter(e -> e.path("eventType").asText().equals(DELETE))
                .filter(e -> e.path("subject").asText().equalsIgnoreCase(vmId)).findFirst()
                .orElseThrow(() -> new AssertionError("no delete event in " + emulator.events()));
    }

    static List<String> vmIds(JsonNode policy) {
        return policy.path("properties").path("virtualMachines").findValuesAsText("id");
    }

    void withRequestHistory(String vm) {
        ObjectNode policy = emulator.resource(POLICY).orElseThrow();
        ObjectNode request = ((ObjectNode) policy.with("properties")).putArray("requests").addObject();
        request.put("startTimeUtc", "2024-01-01T00:00:00Z").put("requestor", "alice@example.com");
        request.putArray("virtualMachines").addObject().put("id", vm);
        emulator.putResource(policy);
    }

    @Test
    void aVmDeleteEventRemovesTheDeletedVmsEntryInThatRunAndKeepsTheRequestHistory() throws Exception {
        String vm = vmId("rg-web", "vm-web-1");
        withRequestHistory(vm);
        assertThat(armDelete(vm)).isEqualTo(200);

        deliver(deleteEvent(vm).toString());

        JsonNode policy = resource(POLICY);
        assertThat(vmIds(policy)).noneMatch(id -> id.equalsIgnoreCase(vm));
        assertThat(policy.at("/properties/requests/0/requestor").asText()).isEqualTo("alice@example.com");
        assertThat(policy.at("/properties/requests/0/virtualMachines/0/id").asText()).isEqualTo(vm);
        JsonNode d = onlyDecision(context);
        assertThat(d.path("eventType").asText()).isEqualTo(DELETE);
        assertThat(d.path("operation").asText()).isEqualTo(RoutedOperations.VM_DELETE);
        assertThat(d.path("result").asText()).as(d.toString()).isEqualTo("fixed");
        assertThat(d.path("finding").asText()).contains("fixed");
    }

    @Test
    void aForbiddenVmGetKeepsTheEntryWhenTheDeleteEventArrives() throws Exception {
        String vm = vmId("rg-web", "vm-web-1");
        assertThat(armDelete(vm)).isEqualTo(200);
        emulator.faults().script(ScriptedFault.status("GET", "virtualMachines/vm-web-1", 403, 50));

        deliver(deleteEvent(vm).toString());

        assertThat(vmIds(resource(POLICY))).anyMatch(id -> id.equalsIgnoreCase(vm));
    }

    @Test
    void remediateAndCoverageAnswer404ForAScopeThatDoesNotExist() throws IOException {
        String missing = "/subscriptions/" + PROD + "/resourceGroups/rg-nope";
        HttpResponseMessage r = new Remediate(runtime()).run(post("remediate",
                JSON.createObjectNode().put("scope", missing).put("dryRun", false).toString()), context);
        assertThat(r.getStatusCode()).isEqualTo(404);
        assertThat((String) r.getBody()).contains("rg-nope");

        HttpResponseMessage c = new Coverage(runtime()).run(get("coverage",
                Map.of("scope", vmId("rg-web", "vm-typo"))), context("Coverage"));
        assertThat(c.getStatusCode()).isEqualTo(404);
        assertThat((String) c.getBody()).contains("vm-typo");
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void anEventForAVmDeletedBeforeItArrivedIsLoggedNotFoundWithoutThrowOrHandOff() {
        String vm = vmId("rg-web", "vm-gone-before");

        deliver(event(vm, RoutedOperations.VM_WRITE, WRITE, person()).toString());

        assertThat(sent(handoff) == null ? List.of() : sent(handoff)).isEmpty();
        assertThat(onlyDecision(context).path("result").asText()).isEqualTo("not-found");
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aQueuedScopeWhoseVmWasDeletedIsLoggedNotFoundWithoutThrow() {
        ExecutionContext queue = context("SweepSubscription");
        new SweepSubscription(runtime()).run(SweepMessage.of(io.jitguard.scope.Scopes.parse(
                vmId("rg-web", "vm-gone-before"))).toJson(), queue);

        assertThat(onlyDecision(queue).path("result").asText()).isEqualTo("not-found");
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aLongRetryAfterDuringAnEventRunHandsTheScopeOffAndTheDecisionCarriesArmsAnswer() {
        emulator.faults().retryAfterSeconds(3600);
        emulator.faults().script(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 429, 10));

        deliver(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()).toString());

        assertThat(sent(handoff)).containsExactly("{\"scope\":\"" + vmId("rg-web", "vm-web-2") + "\"}");
        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).as(d.toString()).isEqualTo("handed-off");
        assertThat(d.path("reason").asText()).contains("429").contains("SubscriptionRequestsThrottled")
                .contains("3600");
        assertThat(emulator.faults().pendingScript().get(0).times()).isEqualTo(9); // one attempt, no waiting
    }
}
