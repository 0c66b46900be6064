package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.lines;
import static io.jitguard.functions.FunctionMocks.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.jitguard.report.ScopeOutcome;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subscription without its SecurityCenterBuiltIn assignment is a finding a person must act on: the decision log
 * line and the webhook notification carry it, and jitguard never creates the assignment.
 */
class MissingAssignmentTest extends EmulatedEstate {
    final ExecutionContext context = context("Remediate");
    final List<String> received = new CopyOnWriteArrayList<>();
    HttpServer server;

    @BeforeEach
    void startWebhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopWebhook() {
        server.stop(0);
    }

    @Test
    void theDecisionLogAndTheNotificationCarryAMissingAssignment() throws IOException {
        emulator.deleteResource(ASSIGNMENT);
        env.put(Notifier.WEBHOOK, "http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        env.put(Notifier.FORMAT, "json");

        HttpResponseMessage response = new Remediate(runtime()).run(post("remediate",
                JSON.createObjectNode().put("scope", "/subscriptions/" + PROD).put("dryRun", false).toString()),
                context);
        assertThat(response.getStatusCode()).isEqualTo(200);

        JsonNode decision = lines(context).stream().filter(l -> l.contains(DecisionLog.PREFIX))
                .map(l -> l.substring(l.indexOf(DecisionLog.PREFIX) + DecisionLog.PREFIX.length()))
                .map(MissingAssignmentTest::parse).filter(d -> d.path("scope").asText().equals("/subscriptions/" + PROD))
                .findFirst().orElseThrow(() -> new AssertionError(lines(context)));
        assertThat(decision.path("result").asText()).isEqualTo(ScopeOutcome.Converged.State.FINDINGS_REMAIN.label());
        assertThat(decision.path("finding").asText()).contains("monitoring effect missing");
        assertThat(decision.path("reason").asText()).contains("monitoring effect missing")
                .contains("no SecurityCenterBuiltIn assignment");

        assertThat(received).hasSize(1);
        assertThat(received.get(0)).contains("missing: monitoring effect of subscription " + PROD);
        assertThat(emulator.resource(ASSIGNMENT)).as("jitguard never creates it").isEmpty();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
