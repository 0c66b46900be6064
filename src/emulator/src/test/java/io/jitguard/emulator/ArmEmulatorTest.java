package io.jitguard.emulator;

import static io.jitguard.emulator.EmulatorClient.A;
import static io.jitguard.emulator.EmulatorClient.B;
import static io.jitguard.emulator.EmulatorClient.C;
import static io.jitguard.emulator.EmulatorClient.json;
import static io.jitguard.emulator.EmulatorClient.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArmEmulatorTest {
    static final String API = "?api-version=2020-01-01";
    static final String RG_WEB = "/subscriptions/" + A + "/resourceGroups/rg-web";
    static final String DEFAULT_POLICY = RG_WEB
            + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
    static final String VM1 = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-1";
    static final String VM2 = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-2";

    ArmEmulator emulator;
    EmulatorClient client;

    @BeforeEach
    void start() {
        emulator = EmulatorClient.startExample();
        client = new EmulatorClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static ObjectNode validPolicy(String... vmIds) {
        ObjectNode body = obj("{'kind':'Basic','location':'westeurope','properties':{'virtualMachines':[]}}");
        ArrayNode vms = (ArrayNode) body.get("properties").get("virtualMachines");
        for (String id : vmIds) {
            ObjectNode vm = vms.addObject();
            vm.put("id", id);
            ArrayNode ports = vm.putArray("ports");
            for (int p : new int[] {22, 3389}) {
                ports.add(obj("{'number':" + p + ",'protocol':'*','allowedSourceAddressPrefix':'*','maxRequestAccessDuration':'PT3H'}"));
            }
        }
        return body;
    }

    // ------------------------------------------------------------ transport, auth, conventions

    @Test
    void tlsHandshakeWithHostnameVerificationOnLocalhostAndLoopbackIp() throws Exception {
        assertThat(emulator.endpoint()).isEqualTo("https://localhost:" + emulator.port() + "/");
        HttpResponse<String> r = client.get("/subscriptions?api-version=2022-12-01");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("value").get(0).get("subscriptionId").asText()).isEqualTo(A);
        HttpResponse<String> byIp = client.send("GET", "https://127.0.0.1:" + emulator.port()
                + "/subscriptions/" + A + "?api-version=2022-12-01", null);
        assertThat(json(byIp).get("displayName").asText()).isEqualTo("prod");
        assertThat(r.headers().firstValue("x-ms-request-id")).isPresent();
        assertThat(r.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).isPresent();
    }

    @Test
    void missingBearerTokenIs401WithArmErrorBody() throws Exception {
        client.token = null;
        HttpResponse<String> r = client.get("/subscriptions/" + A + "?api-version=2022-12-01");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("AuthenticationFailed");
    }

    @Test
    void missingApiVersionIs400() throws Exception {
        HttpResponse<String> r = client.get("/subscriptions/" + A);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("MissingApiVersionParameter");
    }

    @Test
    void pathsAreCaseInsensitiveAndIdsKeepStoredCasing() throws Exception {
        HttpResponse<String> r = client.get(VM1.toUpperCase().replace("SUBSCRIPTIONS", "subscriptions") + API);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("id").asText()).isEqualTo(VM1);
        HttpResponse<String> rg = client.get(("/subscriptions/" + A + "/resourcegroups/RG-WEB") + API);
        assertThat(json(rg).get("name").asText()).isEqualTo("rg-web");
        assertThat(json(rg).get("type").asText()).isEqualTo("Microsoft.Resources/resourceGroups");
    }

    @Test
    void notFoundCodes() throws Exception {
        assertThat(json(client.get("/subscriptions/44444444-4444-4444-4444-444444444444" + API)).at("/error/code").asText())
                .isEqualTo("SubscriptionNotFound");
        assertThat(json(client.get("/subscriptions/" + A + "/resourceGroups/rg-nope" + API)).at("/error/code").asText())
                .isEqualTo("ResourceGroupNotFound");
        HttpResponse<String> r = client.get(RG_WEB + "/providers/Microsoft.Compute/virtualMachines/nope" + API);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("ResourceNotFound");
        HttpResponse<String> unknown = client.get(RG_WEB + "/providers/Microsoft.Web/sites" + API);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("InvalidResourceType");
    }

    @Test
    void pagingFollowsNextLinksAndReturnsEveryItemOnce() throws Exception {
        List<String> seen = new ArrayList<>();
        String next = "/subscriptions/" + A + "/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01";
        int pages = 0;
        while (next != null) {
            JsonNode page = json(client.get(next));
            pages++;
            assertThat(page.get("value").size()).isLessThanOrEqualTo(2);
            page.get("value").forEach(v -> seen.add(v.get("id").asText()));
            next = page.hasNonNull("nextLink") ? page.get("nextLink").asText() : null;
            if (next != null) {
                assertThat(next).startsWith("https://localhost:" + emulator.port() + "/").contains("api-version=2024-07-01")
                        .contains("$skiptoken=");
            }
        }
        Set<String> expected = new HashSet<>();
        Estate.load(EmulatorClient.exampleEstate()).resources().stream()
                .filter(r -> r.get("type").asText().equals("Microsoft.Compute/virtualMachines"))
                .filter(r -> r.get("id").asText().startsWith("/subscriptions/" + A))
                .forEach(r -> expected.add(r.get("id").asText()));
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(seen).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void networkRoutesSubnetsPricingsAndClassicVms() throws Exception {
        JsonNode subnet = json(client.get("/subscriptions/" + A
                + "/resourceGroups/rg-data/providers/Microsoft.Network/virtualNetworks/vnet-data/subnets/snet-db" + API));
        assertThat(subnet.at("/properties/networkSecurityGroup/id").asText()).endsWith("/nsg-snet-db");
        JsonNode fw = json(client.get("/subscriptions/" + A + "/resourceGroups/rg-data/providers/Microsoft.Network/azureFirewalls" + API));
        assertThat(fw.get("value").get(0).get("name").asText()).isEqualTo("fw-hub");
        JsonNode classic = json(client.get("/subscriptions/" + A + "/providers/Microsoft.ClassicCompute/virtualMachines" + API));
        assertThat(classic.get("value")).hasSize(1);
        JsonNode free = json(client.get("/subscriptions/" + C.replace('3', '3') + "/providers/Microsoft.Security/pricings/VirtualMachines" + API));
        assertThat(free.at("/properties/subPlan").asText()).isEqualTo("P2");
        emulator.deleteResource("/subscriptions/" + B + "/providers/Microsoft.Security/pricings/VirtualMachines");
        JsonNode synthesized = json(client.get("/subscriptions/" + B + "/providers/Microsoft.Security/pricings/virtualmachines" + API));
        assertThat(synthesized.at("/properties/pricingTier").asText()).isEqualTo("Free");
        JsonNode list = json(client.get("/subscriptions/" + B + "/providers/Microsoft.Security/pricings" + API));
        assertThat(list.get("value")).hasSize(1);
    }

    // ------------------------------------------------------------ JIT policies

    @Test
    void jitPolicyListsAtAllFourScopes() throws Exception {
        String sec = "/providers/Microsoft.Security/";
        assertThat(json(client.get("/subscriptions/" + A + sec + "jitNetworkAccessPolicies" + API)).get("value")).hasSize(1);
        assertThat(json(client.get("/subscriptions/" + A + sec + "locations/westeurope/jitNetworkAccessPolicies" + API))
                .get("value")).hasSize(1);
        assertThat(json(client.get("/subscriptions/" + A + sec + "locations/northeurope/jitNetworkAccessPolicies" + API))
                .get("value")).isEmpty();
        assertThat(json(client.get(RG_WEB + sec + "jitNetworkAccessPolicies" + API)).get("value")).hasSize(1);
        assertThat(json(client.get(RG_WEB + sec + "locations/westeurope/jitNetworkAccessPolicies" + API)).get("value"))
                .hasSize(1);
        assertThat(json(client.get("/subscriptions/" + A + "/resourceGroups/rg-data" + sec + "jitNetworkAccessPolicies" + API))
                .get("value")).isEmpty();
    }

    @Test
    void putReplacesTheWholePolicy() throws Exception {
        JsonNode before = json(client.get(DEFAULT_POLICY + API));
        assertThat(before.at("/properties/virtualMachines")).hasSize(2);
        assertThat(before.at("/properties/requests")).hasSize(1);

        HttpResponse<String> r = client.put(DEFAULT_POLICY + API, validPolicy(VM2));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode put = json(r);
        assertThat(put.get("id").asText()).isEqualTo(DEFAULT_POLICY);
        assertThat(put.get("type").asText()).isEqualTo("Microsoft.Security/locations/jitNetworkAccessPolicies");
        assertThat(put.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");

        JsonNode after = json(client.get(DEFAULT_POLICY + API));
        assertThat(after.at("/properties/virtualMachines")).hasSize(1);
        assertThat(after.at("/properties/virtualMachines/0/id").asText()).isEqualTo(VM2);
        assertThat(after.at("/properties/requests").isMissingNode()).isTrue();
        assertThat(after.get("kind").asText()).isEqualTo("Basic");
        assertThat(after.get("location").asText()).isEqualTo("westeurope");
    }

    @Test
    void putCreatesANewPolicyAndDeleteRemovesIt() throws Exception {
        String id = RG_WEB + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/jitguard";
        assertThat(client.get(id + API).statusCode()).isEqualTo(404);
        assertThat(client.put(id + API, validPolicy(VM2)).statusCode()).isEqualTo(200);
        assertThat(emulator.resource(id.toUpperCase().replace("SUBSCRIPTIONS", "subscriptions"))).isPresent();
        assertThat(client.delete(id + API).statusCode()).isEqualTo(200);
        assertThat(emulator.resource(id)).isEmpty();
        assertThat(client.delete(id + API).statusCode()).isEqualTo(204);
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                bad("port above 65535", b -> port(b).put("number", 65536), "ports[0].number"),
                bad("negative port", b -> port(b).put("number", -1), "ports[0].number"),
                bad("fractional port", b -> port(b).put("number", 22.5), "ports[0].number"),
                bad("bad protocol", b -> port(b).put("protocol", "ICMP"), "ports[0].protocol"),
                bad("unparsable duration", b -> port(b).put("maxRequestAccessDuration", "3 hours"), "is not an ISO-8601 duration"),
                bad("duration too short", b -> port(b).put("maxRequestAccessDuration", "PT4M"), "between 5 minutes"),
                bad("duration too long", b -> port(b).put("maxRequestAccessDuration", "PT24H1M"), "between 5 minutes"),
                bad("duration two days", b -> port(b).put("maxRequestAccessDuration", "P2D"), "maxRequestAccessDuration"),
                bad("both prefix fields", b -> port(b).putArray("allowedSourceAddressPrefixes").add("10.0.0.0/8"), "not both"),
                bad("no prefix field", b -> port(b).remove("allowedSourceAddressPrefix"), "is required"),
                bad("empty prefixes", b -> {
                    port(b).remove("allowedSourceAddressPrefix");
                    port(b).putArray("allowedSourceAddressPrefixes");
                }, "allowedSourceAddressPrefixes must be a non-empty array"),
                bad("unknown VM", b -> vm(b).put("id", RG_WEB + "/providers/Microsoft.Compute/virtualMachines/ghost"), "was not found"),
                bad("VM in another resource group", b -> vm(b).put("id", "/subscriptions/" + A
                        + "/resourceGroups/rg-lab/providers/Microsoft.Compute/virtualMachines/vm-lab-1"), "resource group 'rg-web'"),
                bad("long VM name", b -> vm(b).put("id", RG_WEB
                        + "/providers/Microsoft.Compute/virtualMachines/vm-web-with-a-very-long-name-for-the-reporting-tier-01"),
                        "exceed 56 characters"),
                bad("body location differs", b -> b.put("location", "northeurope"), "does not match the location"),
                bad("no virtualMachines", b -> ((ObjectNode) b.get("properties")).remove("virtualMachines"),
                        "properties.virtualMachines is required"));
    }

    private static Arguments bad(String name, Consumer<ObjectNode> mutate, String message) {
        return Arguments.of(name, mutate, message);
    }

    private static ObjectNode vm(ObjectNode body) {
        return (ObjectNode) body.at("/properties/virtualMachines/0");
    }

    private static ObjectNode port(ObjectNode body) {
        return (ObjectNode) body.at("/properties/virtualMachines/0/ports/0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void invalidJitPutIsRejectedAndChangesNothing(String name, Consumer<ObjectNode> mutate, String message) throws Exception {
        ObjectNode before = emulator.resource(DEFAULT_POLICY).orElseThrow();
        ObjectNode body = validPolicy(VM1);
        mutate.accept(body);
        HttpResponse<String> r = client.put(DEFAULT_POLICY + API, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("BadRequest");
        assertThat(json(r).at("/error/message").asText()).contains(message);
        assertThat(emulator.resource(DEFAULT_POLICY)).contains(before);
        assertThat(emulator.events()).isEmpty();
    }

    @Test
    void vmInAnotherLocationIsRejected() throws Exception {
        String ne = RG_WEB + "/providers/Microsoft.Security/locations/northeurope/jitNetworkAccessPolicies/default";
        ObjectNode body = validPolicy(VM1);
        body.put("location", "northeurope");
        HttpResponse<String> r = client.put(ne + API, body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/message").asText()).contains("is in location 'westeurope'")
                .contains("properties.virtualMachines[0].id");
        assertThat(emulator.resource(ne)).isEmpty();
    }

    @Test
    void validBoundariesAreAccepted() throws Exception {
        ObjectNode body = validPolicy(VM1);
        port(body).put("maxRequestAccessDuration", "PT5M").put("number", 0);
        ((ObjectNode) body.at("/properties/virtualMachines/0/ports/1")).put("maxRequestAccessDuration", "P1D").put("number", 65535);
        assertThat(client.put(DEFAULT_POLICY + API, body).statusCode()).isEqualTo(200);
        ObjectNode fits = validPolicy(RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-with-a-very-long-name-for-the-reporting-tier-01");
        String shortName = RG_WEB + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/j";
        assertThat(client.put(shortName + API, fits).statusCode()).isEqualTo(200); // 1 + 54 <= 56
    }

    @Test
    void jitNeedsDefenderForServersPlan2() throws Exception {
        String id = "/subscriptions/" + B + "/resourceGroups/rg-dev/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
        HttpResponse<String> r = client.put(id + API,
                validPolicy("/subscriptions/" + B + "/resourceGroups/rg-dev/providers/Microsoft.Compute/virtualMachines/vm-dev-1"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("DefenderForServersPlan2Required");
        assertThat(json(r).at("/error/message").asText()).contains("Plan 2").contains(B);
        assertThat(emulator.resource(id)).isEmpty();
    }

    // ------------------------------------------------------------ policy assignments

    @Test
    void assignmentPutGetRoundTripKeepsAllFields() throws Exception {
        String id = "/subscriptions/" + C + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";
        ObjectNode body = obj("{'location':'westeurope','identity':{'type':'SystemAssigned'},'properties':{"
                + "'displayName':'ASC Default (subscription: " + C + ")',"
                + "'policyDefinitionId':'/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8',"
                + "'scope':'/subscriptions/" + C + "','notScopes':['/subscriptions/" + C + "/resourceGroups/rg-x'],"
                + "'metadata':{'assignedBy':'me'},'enforcementMode':'Default',"
                + "'parameters':{'jitNetworkAccessMonitoringEffect':{'value':'AuditIfNotExists'},'other':{'value':[1,2]}}}}");
        HttpResponse<String> created = client.put(id + "?api-version=2022-06-01", body);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode got = json(client.get(id + "?api-version=2022-06-01"));
        assertThat(got.get("id").asText()).isEqualTo(id);
        assertThat(got.get("name").asText()).isEqualTo("SecurityCenterBuiltIn");
        assertThat(got.get("type").asText()).isEqualTo("Microsoft.Authorization/policyAssignments");
        assertThat(got.get("properties")).isEqualTo(body.get("properties"));
        assertThat(got.get("identity")).isEqualTo(body.get("identity"));
        assertThat(got.get("location").asText()).isEqualTo("westeurope");
        assertThat(client.put(id + "?api-version=2022-06-01", body).statusCode()).isEqualTo(200);
    }

    @Test
    void assignmentValidation() throws Exception {
        String id = "/subscriptions/" + A + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";
        ObjectNode before = emulator.resource(id).orElseThrow();
        ObjectNode badEffect = before.deepCopy();
        ((ObjectNode) badEffect.at("/properties/parameters/jitNetworkAccessMonitoringEffect")).put("value", "Deny");
        HttpResponse<String> r = client.put(id + API, badEffect);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("InvalidPolicyParameters");
        assertThat(json(r).at("/error/message").asText()).contains("jitNetworkAccessMonitoringEffect");

        ObjectNode noValue = before.deepCopy();
        ((ObjectNode) noValue.at("/properties/parameters")).putObject("x").put("notValue", 1);
        assertThat(json(client.put(id + API, noValue)).at("/error/message").asText()).contains("parameters.x");

        ObjectNode noDef = before.deepCopy();
        ((ObjectNode) noDef.get("properties")).remove("policyDefinitionId");
        assertThat(json(client.put(id + API, noDef)).at("/error/message").asText()).contains("policyDefinitionId");

        assertThat(emulator.resource(id)).contains(before);
        JsonNode list = json(client.get("/subscriptions/" + A + "/providers/Microsoft.Authorization/policyAssignments" + API));
        assertThat(list.get("value")).hasSize(1);
    }

    // ------------------------------------------------------------ faults

    @Test
    void scripted429CarriesRetryAfterAndLeavesStateUnchanged() throws Exception {
        emulator.faults().retryAfterSeconds(7)
                .script(FaultPlan.ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 429, 1));
        ObjectNode before = emulator.resource(DEFAULT_POLICY).orElseThrow();
        HttpResponse<String> r = client.put(DEFAULT_POLICY + API, validPolicy(VM2));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).contains("7");
        assertThat(json(r).at("/error/code").asText()).isEqualTo("SubscriptionRequestsThrottled");
        assertThat(emulator.resource(DEFAULT_POLICY)).contains(before);
        assertThat(emulator.events()).isEmpty();
        assertThat(emulator.stats().faultsInjected()).isEqualTo(1);
        assertThat(emulator.stats().writes()).isZero();
        // consumed: the retry succeeds
        assertThat(client.put(DEFAULT_POLICY + API, validPolicy(VM2)).statusCode()).isEqualTo(200);
        assertThat(emulator.faults().pendingScript()).isEmpty();
    }

    @Test
    void resetClosesTheConnectionWithoutAResponse() throws Exception {
        emulator.faults().script(FaultPlan.ScriptedFault.of("GET", "virtualMachines", "reset", 1));
        // A raw TLS socket shows that no response byte at all arrives before the server closes the connection.
        try (SSLSocket socket = (SSLSocket) EmulatorTls.clientContext().getSocketFactory()
                .createSocket("localhost", emulator.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + VM1 + API + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            int first;
            try {
                first = socket.getInputStream().read();
            } catch (IOException closed) {
                first = -1;
            }
            assertThat(first).isEqualTo(-1);
        }
        assertThat(emulator.stats().faultsInjected()).isEqualTo(1);
        assertThat(emulator.stats().reads()).isZero();
        // java.net.http retries an idempotent GET once on a closed connection; two resets make it fail.
        emulator.faults().script(FaultPlan.ScriptedFault.of("GET", "virtualMachines", "reset", 2));
        assertThatThrownBy(() -> client.get(VM1 + API)).isInstanceOf(IOException.class);
        assertThat(client.get(VM1 + API).statusCode()).isEqualTo(200);
    }

    @Test
    void randomFaultsAndSlowAnswers() throws Exception {
        emulator.faults().rate(1.0).kinds("503").retryAfterSeconds(2);
        HttpResponse<String> r = client.get(VM1 + API);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("2");
        // /_emulator is never faulted and needs no token
        client.token = null;
        assertThat(client.get("/_emulator/stats").statusCode()).isEqualTo(200);
        client.token = EmulatorClient.TOKEN;
        emulator.faults().clear().slowMs(300).script(FaultPlan.ScriptedFault.of(null, "vm-web-1", "slow", 1));
        long busyBefore = emulator.stats().busyNanos();
        HttpResponse<String> slow = client.get(VM1 + API);
        assertThat(slow.statusCode()).isEqualTo(200);
        // the emulator's own figure for the answer it held back, not the test's clock
        assertThat(Duration.ofNanos(emulator.stats().busyNanos() - busyBefore)).isGreaterThanOrEqualTo(Duration.ofMillis(280));
    }

    @Test
    void aTestCanWaitForReadsOtherClientsSend() throws Exception {
        assertThat(emulator.stats().awaitReads(1, Duration.ZERO)).isFalse();
        java.util.concurrent.CompletableFuture<Boolean> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return emulator.stats().awaitReads(2, Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(client.get(VM1 + API).statusCode()).isEqualTo(200);
        assertThat(client.get(VM2 + API).statusCode()).isEqualTo(200);
        assertThat(waiting.get(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void theWaitAfterRetryAfterIsSeenPerMethodAndPath() throws Exception {
        assertThat(emulator.stats().shortestRetryWait()).isEmpty();
        emulator.faults().retryAfterSeconds(1).script(FaultPlan.ScriptedFault.status("GET", "vm-web-1", 429, 1));
        assertThat(client.get(VM1 + API).statusCode()).isEqualTo(429);
        // another path, or another method on the same path, is not a retry of the throttled request
        assertThat(client.get(VM2 + API).statusCode()).isEqualTo(200);
        assertThat(client.send("HEAD", VM1 + API, null).statusCode()).isNotEqualTo(429);
        assertThat(emulator.stats().shortestRetryWait()).isEmpty();
        assertThat(client.get(VM1 + API).statusCode()).isEqualTo(200);
        assertThat(emulator.stats().shortestRetryWait()).hasValueSatisfying(w -> assertThat(w.isNegative()).isFalse());
        // an answer without Retry-After asks for no wait
        emulator.stats().reset();
        emulator.faults().script(FaultPlan.ScriptedFault.status("GET", "vm-web-1", 500, 1));
        assertThat(client.get(VM1 + API).statusCode()).isEqualTo(500);
        assertThat(client.get(VM1 + API).statusCode()).isEqualTo(200);
        assertThat(emulator.stats().shortestRetryWait()).isEmpty();
    }

    @Test
    void linksNameTheHostTheClientUsed() throws Exception {
        // the certificate names both localhost and 127.0.0.1, so a client may use either; ARM's links follow the Host
        String next = "https://127.0.0.1:" + emulator.port() + "/subscriptions/" + A
                + "/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01";
        JsonNode page = json(client.get(next));
        assertThat(page.path("nextLink").asText()).startsWith("https://127.0.0.1:" + emulator.port() + "/subscriptions/");
        JsonNode viaLocalhost = json(client.get("/subscriptions/" + A
                + "/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01"));
        assertThat(viaLocalhost.path("nextLink").asText()).startsWith("https://localhost:" + emulator.port() + "/");
    }

    @Test
    void originFallsBackToLocalhostWhenTheHostHeaderIsMissingOrOdd() {
        assertThat(ArmHttp.origin("127.0.0.1:8443", 8443)).isEqualTo("https://127.0.0.1:8443");
        assertThat(ArmHttp.origin("[::1]:8443", 8443)).isEqualTo("https://[::1]:8443");
        assertThat(ArmHttp.origin(null, 8443)).isEqualTo("https://localhost:8443");
        assertThat(ArmHttp.origin("evil.example/x?", 8443)).isEqualTo("https://localhost:8443");
        assertThat(ArmHttp.origin("a b", 8443)).isEqualTo("https://localhost:8443");
    }

    @Test
    void seededRandomFaultsRepeat() {
        FaultPlan a = new FaultPlan().seed(7).rate(0.5);
        FaultPlan b = new FaultPlan().seed(7).rate(0.5);
        for (int i = 0; i < 50; i++) {
            assertThat(a.next("GET", "/x")).isEqualTo(b.next("GET", "/x"));
        }
    }

    // ------------------------------------------------------------ stats and events

    @Test
    void statsCountReadsWritesAndOperations() throws Exception {
        client.get(DEFAULT_POLICY + API);
        client.get("/subscriptions/" + A + "/providers/Microsoft.Security/jitNetworkAccessPolicies" + API);
        client.get(VM1 + API);
        client.put(DEFAULT_POLICY + API, validPolicy(VM1));
        emulator.putResource(obj("{'id':'" + VM1.replace("vm-web-1", "vm-new") + "','location':'westeurope'}"));
        EmulatorStats s = emulator.stats();
        assertThat(s.reads()).isEqualTo(3);
        assertThat(s.writes()).isEqualTo(1);
        assertThat(s.byOperation()).containsEntry("GET jitNetworkAccessPolicies", 2L)
                .containsEntry("GET virtualMachines", 1L).containsEntry("PUT jitNetworkAccessPolicies", 1L);
        client.token = null;
        JsonNode served = json(client.get("/_emulator/stats"));
        assertThat(served.get("reads").asLong()).isEqualTo(3);
        assertThat(served.at("/byOperation/PUT jitNetworkAccessPolicies").asLong()).isEqualTo(1);
        s.reset();
        assertThat(s.reads()).isZero();
        assertThat(s.byOperation()).isEmpty();
    }

    @Test
    void writeEventsCarryOperationNameAndJwtClaimsButNeverTheToken() throws Exception {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"appid\":\"jitguard-app\",\"oid\":\"o-1\",\"tid\":\"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\"}".getBytes(StandardCharsets.UTF_8));
        String jwt = "eyJhbGciOiJub25lIn0." + payload + ".c2lnbmF0dXJl";
        client.token = jwt;
        assertThat(client.put(DEFAULT_POLICY + API, validPolicy(VM1)).statusCode()).isEqualTo(200);
        client.token = EmulatorClient.TOKEN;
        assertThat(client.delete(DEFAULT_POLICY + API).statusCode()).isEqualTo(200);

        List<ObjectNode> events = emulator.events();
        assertThat(events).hasSize(2);
        ObjectNode write = events.get(0);
        assertThat(write.get("eventType").asText()).isEqualTo("Microsoft.Resources.ResourceWriteSuccess");
        assertThat(write.get("subject").asText()).isEqualTo(DEFAULT_POLICY);
        assertThat(write.get("topic").asText()).isEqualTo("/subscriptions/" + A);
        assertThat(write.get("dataVersion").asText()).isEqualTo("2");
        assertThat(write.at("/data/operationName").asText()).isEqualTo("Microsoft.Security/locations/jitNetworkAccessPolicies/write");
        assertThat(write.at("/data/resourceProvider").asText()).isEqualTo("Microsoft.Security");
        assertThat(write.at("/data/claims/appid").asText()).isEqualTo("jitguard-app");
        assertThat(write.at("/data/httpRequest/method").asText()).isEqualTo("PUT");
        assertThat(write.at("/data/httpRequest/url").asText()).startsWith("https://localhost:").contains("jitNetworkAccessPolicies/default");
        assertThat(write.at("/data/tenantId").asText()).isEqualTo("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        ObjectNode delete = events.get(1);
        assertThat(delete.get("eventType").asText()).isEqualTo("Microsoft.Resources.ResourceDeleteSuccess");
        assertThat(delete.at("/data/operationName").asText()).isEqualTo("Microsoft.Security/locations/jitNetworkAccessPolicies/delete");
        assertThat(delete.at("/data/claims/appid").asText()).matches("[0-9a-f]{8}");
        String all = events.toString();
        assertThat(all).doesNotContain(jwt).doesNotContain("c2lnbmF0dXJl").doesNotContain(EmulatorClient.TOKEN);
    }

    @Test
    void resourceEventHelperAndDirectStateHooks() throws Exception {
        String id = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-new";
        emulator.putResource(obj("{'id':'" + id + "','location':'westeurope','properties':{}}"));
        JsonNode got = json(client.get(id.toLowerCase() + API));
        assertThat(got.get("name").asText()).isEqualTo("vm-new");
        assertThat(got.get("type").asText()).isEqualTo("Microsoft.Compute/virtualMachines");
        assertThat(emulator.events()).isEmpty();
        ObjectNode e = ArmEmulator.resourceEvent(id, ArmEmulator.operationName(id, false), ArmEmulator.WRITE_SUCCESS,
                Map.of("appid", "someone-else"), "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        assertThat(e.at("/data/operationName").asText()).isEqualTo("Microsoft.Compute/virtualMachines/write");
        assertThat(e.at("/data/resourceProvider").asText()).isEqualTo("Microsoft.Compute");
        assertThat(e.at("/data/subscriptionId").asText()).isEqualTo(A);
        assertThat(e.at("/data/claims/appid").asText()).isEqualTo("someone-else");
        emulator.deleteResource(id.toUpperCase().replace("SUBSCRIPTIONS", "subscriptions"));
        assertThat(client.get(id + API).statusCode()).isEqualTo(404);
    }
}
