package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.get;
import static io.jitguard.functions.FunctionMocks.lines;
import static io.jitguard.functions.FunctionMocks.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.ExecutionContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The notification webhook, a real local HTTP server, in each format; the URL's secret never reaches a log line. */
class NotifyTest extends EmulatedEstate {
    static final String SECRET = "XyZsecretPath0123456789";
    static final String SIG = "SIGsecretQuery987654";
    final ExecutionContext context = context("Remediate");
    final List<String[]> received = new CopyOnWriteArrayList<>();
    HttpServer server;
    volatile int answer = 200;
    volatile String replyPrefix = "bad request for ";

    @BeforeEach
    void startWebhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new String[] {exchange.getRequestURI().toString(), body,
                    exchange.getRequestHeaders().getFirst("Content-Type")});
            // a hostile or chatty endpoint echoes the URL it was called with
            byte[] reply = (replyPrefix + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopWebhook() {
        server.stop(0);
    }

    String webhook() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T0/B0/" + SECRET + "?sig=" + SIG;
    }

    HttpResponseMessage remediate(String scope) {
        return new Remediate(runtime()).run(post("remediate",
                JSON.createObjectNode().put("scope", scope).put("dryRun", false).toString()), context);
    }

    void assertNoSecretLogged() {
        assertThat(lines(context)).isNotEmpty().allSatisfy(line -> assertThat(line)
                .doesNotContain(SECRET).doesNotContain(SIG).doesNotContain("/hooks/T0/B0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "slack", "teams"})
    void aFixIsPostedOnceInTheChosenFormat(String format) throws IOException {
        env.put(Notifier.WEBHOOK, webhook());
        env.put(Notifier.FORMAT, format);

        assertThat(remediate(vmId("rg-web", "vm-web-2")).getStatusCode()).isEqualTo(200);

        assertThat(received).hasSize(1);
        assertThat(received.get(0)[0]).isEqualTo("/hooks/T0/B0/" + SECRET + "?sig=" + SIG);
        assertThat(received.get(0)[2]).startsWith("application/json");
        String body = received.get(0)[1];
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(25_000);
        JsonNode message = JSON.readTree(body);
        switch (format) {
            case "json" -> {
                assertThat(message.path("source").asText()).isEqualTo("jitguard");
                assertThat(message.path("totals").path("fixed").asInt()).isEqualTo(1);
                assertThat(message.path("items").get(0).asText()).startsWith("fixed: rg-web/vm-web-2");
            }
            case "slack" -> {
                assertThat(message.path("text").asText()).contains("1 fixed");
                assertThat(message.path("blocks").size()).isBetween(2, 50);
                message.path("blocks").forEach(b -> assertThat(b.path("text").path("text").asText().length())
                        .isLessThanOrEqualTo(3000));
                assertThat(body).contains("vm-web-2");
            }
            default -> {
                assertThat(message.path("type").asText()).isEqualTo("message");
                JsonNode attachment = message.path("attachments").get(0);
                assertThat(attachment.path("contentType").asText())
                        .isEqualTo("application/vnd.microsoft.card.adaptive");
                JsonNode card = attachment.path("content");
                assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
                assertThat(card.path("version").asText()).isEqualTo("1.4");
                assertThat(card.path("body").get(0).path("type").asText()).isEqualTo("TextBlock");
                assertThat(body).contains("vm-web-2");
            }
        }
        assertThat(lines(context)).anyMatch(l -> l.contains("notification sent") && l.contains("127.0.0.1"));
        assertNoSecretLogged();
    }

    @Test
    void nothingToDoSendsNothing() {
        env.put(Notifier.WEBHOOK, webhook());

        assertThat(remediate(vmId("rg-web", "vm-web-1")).getStatusCode()).isEqualTo(200);

        assertThat(received).isEmpty();
    }

    @Test
    void aRefusingWebhookIsLoggedWithoutItsSecretAndTheRunStillAnswers() {
        env.put(Notifier.WEBHOOK, webhook());
        env.put(Notifier.FORMAT, "slack");
        answer = 400;

        HttpResponseMessage response = remediate(vmId("rg-web", "vm-web-2"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(received).hasSize(1);
        assertThat(lines(context)).anyMatch(l -> l.contains("refused: HTTP 400") && l.contains("***"));
        assertNoSecretLogged();
    }

    @Test
    void aWebhookErrorBodyCannotForgeALogLine() {
        env.put(Notifier.WEBHOOK, webhook());
        answer = 500;
        replyPrefix = "oops\r\njitguard: notification sent (json, 0 items)\u001b[8m to ";

        remediate(vmId("rg-web", "vm-web-2"));

        String refused = lines(context).stream().filter(l -> l.contains("refused: HTTP 500")).findFirst()
                .orElseThrow();
        assertThat(refused).contains("oops\\r\\njitguard: notification sent (json, 0 items)\\u001b[8m")
                .doesNotContain("\n", "\r", "\u001b");
        assertThat(lines(context)).noneMatch(l -> l.startsWith("jitguard: notification sent"));
    }

    @Test
    void anUnreachableWebhookIsLoggedWithoutItsSecret() {
        String url = webhook();
        server.stop(0);
        env.put(Notifier.WEBHOOK, url);

        HttpResponseMessage response = remediate(vmId("rg-web", "vm-web-2"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(lines(context)).anyMatch(l -> l.contains("notification failed"));
        assertNoSecretLogged();
    }

    @Test
    void anUnknownFormatOrAMalformedUrlIsLoggedByNameOnly() {
        env.put(Notifier.WEBHOOK, "not a url with " + SECRET);
        remediate(vmId("rg-web", "vm-web-2"));
        assertThat(lines(context)).anyMatch(l -> l.contains("JITGUARD_NOTIFY_WEBHOOK is not an absolute"));
        assertNoSecretLogged();

        env.put(Notifier.WEBHOOK, webhook());
        env.put(Notifier.FORMAT, "pager");
        remediate(vmId("rg-web", "vm-web-3"));
        assertThat(lines(context)).anyMatch(l -> l.contains("JITGUARD_NOTIFY_FORMAT 'pager'"));
        assertThat(received).isEmpty();
    }

    @Test
    void coverageAnswersInTheRequestedFormat() {
        Map<String, String> types = Map.of("html", "text/html", "csv", "text/csv", "ocsf", "application/json",
                "json", "application/json");
        types.forEach((format, type) -> {
            HttpResponseMessage response = new Coverage(runtime()).run(get("coverage",
                    Map.of("scope", RG_WEB, "format", format)), context);
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getHeader("Content-Type")).startsWith(type);
        });
        HttpResponseMessage html = new Coverage(runtime()).run(get("coverage",
                Map.of("scope", RG_WEB, "format", "html")), context);
        assertThat((String) html.getBody()).startsWith("<!DOCTYPE html>").contains("vm-web-2");
        HttpResponseMessage bad = new Coverage(runtime()).run(get("coverage",
                Map.of("scope", RG_WEB, "format", "pdf")), context);
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat((String) bad.getBody()).contains("'pdf'");
    }
}
