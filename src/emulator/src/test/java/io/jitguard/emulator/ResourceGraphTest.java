package io.jitguard.emulator;

import static io.jitguard.emulator.EmulatorClient.A;
import static io.jitguard.emulator.EmulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's Resource Graph: jitguard's VM count only, pages bound to their query, clear refusals. */
class ResourceGraphTest {
    static final String PATH = "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01";
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

    static String body(String query, String options) {
        return "{\"subscriptions\":[\"" + A + "\"],\"query\":\"" + query + "\""
                + (options == null ? "" : ",\"options\":" + options) + "}";
    }

    @Test
    void countsVmsPerResourceGroupInPagesOfTop() throws Exception {
        HttpResponse<String> first = client.send("POST", PATH, body(ResourceGraph.VM_COUNT_QUERY, "{\"$top\":2}"));
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode page = json(first);
        assertThat(page.path("totalRecords").asInt()).isEqualTo(3);
        assertThat(page.path("count").asInt()).isEqualTo(2);
        assertThat(page.path("resultTruncated").asText()).isEqualTo("false");
        assertThat(page.path("data").toString()).isEqualTo("[{\"subscriptionId\":\"" + A
                + "\",\"resourceGroup\":\"rg-data\",\"vms\":3},{\"subscriptionId\":\"" + A
                + "\",\"resourceGroup\":\"rg-lab\",\"vms\":1}]");

        String token = page.path("$skipToken").asText();
        JsonNode next = json(client.send("POST", PATH, body(ResourceGraph.VM_COUNT_QUERY,
                "{\"$top\":2,\"$skipToken\":\"" + token + "\"}")));
        assertThat(next.path("data").toString()).contains("\"rg-web\",\"vms\":5");
        assertThat(next.has("$skipToken")).isFalse();
    }

    @Test
    void refusesWhatItDoesNotServeWithAReason() throws Exception {
        record Case(String body, String path, String says) {
        }
        for (Case c : new Case[] {
                new Case(body("resources | project id", null), PATH, "runs one query"),
                new Case(body(ResourceGraph.VM_COUNT_QUERY, "{\"$top\":1001}"), PATH, "$top must be"),
                new Case(body(ResourceGraph.VM_COUNT_QUERY, "{\"resultFormat\":\"table\"}"), PATH, "objectArray only"),
                new Case(body(ResourceGraph.VM_COUNT_QUERY, "{\"$skipToken\":\"bm90LWEtdG9rZW4\"}"), PATH,
                        "$skipToken is not a token"),
                new Case("{\"query\":\"" + ResourceGraph.VM_COUNT_QUERY + "\"}", PATH, "subscriptions must be"),
                new Case(body(ResourceGraph.VM_COUNT_QUERY, null), PATH.replace("2021-03-01", "2022-10-01"),
                        "serves '2021-03-01'")}) {
            HttpResponse<String> r = client.send("POST", c.path(), c.body());
            assertThat(r.statusCode()).as(c.says()).isEqualTo(400);
            assertThat(json(r).path("error").path("message").asText()).as(c.says()).contains(c.says());
        }
        assertThat(client.send("GET", PATH, null).statusCode()).isEqualTo(405);
    }
}
