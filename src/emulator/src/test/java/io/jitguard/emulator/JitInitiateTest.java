package io.jitguard.emulator;

import static io.jitguard.emulator.EmulatorClient.A;
import static io.jitguard.emulator.EmulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST .../jitNetworkAccessPolicies/{name}/initiate}: validation, the recorded request, Defender's allow rule. */
class JitInitiateTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String RG_WEB = "/subscriptions/" + A + "/resourceGroups/rg-web";
    static final String POLICY = RG_WEB + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
    static final String INITIATE = POLICY + "/initiate?api-version=2020-01-01";
    static final String VM1 = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-1";
    static final String VM2 = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-2";
    static final String NSG_WEB = RG_WEB + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web";

    ArmEmulator emulator;
    EmulatorClient client;

    @BeforeEach
    void start() {
        emulator = ArmEmulator.start(Estate.load(EmulatorClient.exampleEstate()), 0, EmulatorTls.tlsDir(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        client = new EmulatorClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static String body(String vm, int port, String source, Instant end) {
        return "{\"virtualMachines\":[{\"id\":\"" + vm + "\",\"ports\":[{\"number\":" + port
                + (source == null ? "" : ",\"allowedSourceAddressPrefix\":\"" + source + "\"")
                + ",\"endTimeUtc\":\"" + end + "\"}]}],\"justification\":\"incident 7\"}";
    }

    JsonNode nsgRules() throws Exception {
        return json(client.get(NSG_WEB + "?api-version=2024-05-01")).path("properties").path("securityRules");
    }

    JsonNode requests() throws Exception {
        return json(client.get(POLICY + "?api-version=2020-01-01")).path("properties").path("requests");
    }

    @Test
    void anApprovedRequestIsRecordedAndAllowsTheSourceToTheVmAboveItsDeny() throws Exception {
        int before = requests().size();
        HttpResponse<String> r = client.send("POST", INITIATE, body(VM1, 22, "203.0.113.7", NOW.plusSeconds(3600)));

        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode request = json(r);
        assertThat(request.path("startTimeUtc").asText()).isEqualTo(NOW.toString());
        assertThat(request.path("justification").asText()).isEqualTo("incident 7");
        JsonNode port = request.path("virtualMachines").get(0).path("ports").get(0);
        assertThat(port.path("status").asText()).isEqualTo("Initiated");
        assertThat(port.path("statusReason").asText()).isEqualTo("UserRequested");
        assertThat(port.path("endTimeUtc").asText()).isEqualTo(NOW.plusSeconds(3600).toString());

        assertThat(requests()).hasSize(before + 1);
        assertThat(requests().get(before)).isEqualTo(request);

        JsonNode allow = null;
        int deny = Integer.MAX_VALUE;
        for (JsonNode rule : nsgRules()) {
            JsonNode p = rule.path("properties");
            if (!rule.path("name").asText().startsWith("MicrosoftDefenderForCloud-JITRule")
                    || !p.path("destinationPortRange").asText().equals("22")
                    || !p.path("destinationAddressPrefix").asText().equals("10.1.1.4")) {
                continue;
            }
            if (p.path("access").asText().equals("Allow")) {
                allow = rule;
            } else {
                deny = Math.min(deny, p.path("priority").asInt());
            }
        }
        assertThat(allow).isNotNull();
        assertThat(allow.path("properties").path("sourceAddressPrefix").asText()).isEqualTo("203.0.113.7");
        assertThat(allow.path("properties").path("direction").asText()).isEqualTo("Inbound");
        assertThat(allow.path("properties").path("priority").asInt()).isLessThan(deny);
    }

    @Test
    void aRequestOutsideThePolicyIsRefusedNamingWhatWasWrongAndWritesNothing() throws Exception {
        String rulesBefore = nsgRules().toString();
        String requestsBefore = requests().toString();
        List<String> messages = new ArrayList<>();
        for (String bad : List.of(
                body(VM2, 22, "203.0.113.7", NOW.plusSeconds(3600)),
                body(VM1, 8080, "203.0.113.7", NOW.plusSeconds(3600)),
                body(VM1, 22, "203.0.113.7", NOW.plusSeconds(3 * 3600 + 1)),
                body(VM1, 22, "203.0.113.7", NOW.minusSeconds(60)),
                body(VM1, 22, null, NOW.plusSeconds(3600)),
                "{\"virtualMachines\":[]}")) {
            HttpResponse<String> r = client.send("POST", INITIATE, bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            messages.add(json(r).path("error").path("message").asText());
        }
        assertThat(messages.get(0)).contains("vm-web-2").contains("is not a virtual machine of policy 'default'");
        assertThat(messages.get(1)).contains("8080 is not a port of the policy");
        assertThat(messages.get(2)).contains("endTimeUtc").contains("maxRequestAccessDuration PT3H");
        assertThat(messages.get(3)).contains("must be after now (" + NOW + ")");
        assertThat(messages.get(4)).contains("allowedSourceAddressPrefix is required");
        assertThat(messages.get(5)).contains("virtualMachines is required");
        assertThat(requests().toString()).isEqualTo(requestsBefore);
        assertThat(nsgRules().toString()).isEqualTo(rulesBefore);
    }

    @Test
    void onlyPostIsServedOnTheAction() throws Exception {
        assertThat(client.get(POLICY + "/initiate?api-version=2020-01-01").statusCode()).isEqualTo(405);
    }

    @Test
    void whenTheRequestEndsItsAllowRuleIsRemovedAndItsPortRecordedRevokedExpired() throws Exception {
        emulator.close();
        BenchSupportTest.HeldClock clock = new BenchSupportTest.HeldClock(NOW);
        emulator = ArmEmulator.start(Estate.load(EmulatorClient.exampleEstate()), 0, EmulatorTls.tlsDir(), clock);
        client = new EmulatorClient(emulator);
        String rulesBefore = nsgRules().toString();
        int before = requests().size();

        assertThat(client.send("POST", INITIATE, body(VM1, 22, "203.0.113.7", NOW.plusSeconds(3600))).statusCode())
                .isEqualTo(202);
        assertThat(nsgRules().toString()).isNotEqualTo(rulesBefore);

        clock.advance(java.time.Duration.ofSeconds(3599));
        assertThat(nsgRules().toString()).as("still open a second before its end").isNotEqualTo(rulesBefore);
        assertThat(requests().get(before).path("virtualMachines").get(0).path("ports").get(0).path("status").asText())
                .isEqualTo("Initiated");

        clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(nsgRules().toString()).isEqualTo(rulesBefore);
        JsonNode port = requests().get(before).path("virtualMachines").get(0).path("ports").get(0);
        assertThat(port.path("status").asText()).isEqualTo("Revoked");
        assertThat(port.path("statusReason").asText()).isEqualTo("Expired");
        assertThat(requests()).hasSize(before + 1); // the request stays in the policy's history
    }
}
