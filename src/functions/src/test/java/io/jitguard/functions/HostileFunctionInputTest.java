package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.get;
import static io.jitguard.functions.FunctionMocks.lines;
import static io.jitguard.functions.FunctionMocks.onlyDecision;
import static io.jitguard.functions.FunctionMocks.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.ExecutionContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input at the function boundary: {@link Remediate} bodies, {@link Coverage} queries and
 * {@link SweepSubscription} queue messages. Every case is refused with a clear reason (HTTP 400, or 403 for a
 * subscription out of scope; a queue message is logged and dropped without a throw, so it is not retried), costs no ARM
 * call at all, and the same runtime then serves a valid request.
 */
class HostileFunctionInputTest extends EmulatedEstate {
    static final String VM = vmId("rg-web", "vm-web-2");

    enum Kind { REMEDIATE, COVERAGE, QUEUE }

    /**
     * @param input  the body, the {@code scope} query value ({@code null} = no parameter) or the queue message
     * @param status expected HTTP status (queue: unused)
     * @param reason a fragment the error (HTTP) or the decision's reason (queue) must contain
     * @param result expected decision result
     */
    record Case(String name, Kind kind, String input, int status, String reason, String result) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + ": " + name;
        }
    }

    static Case remediate(String name, String body, String reason) {
        return new Case(name, Kind.REMEDIATE, body, 400, reason, "rejected");
    }

    static Case coverage(String name, String scope, String reason) {
        return new Case(name, Kind.COVERAGE, scope, 400, reason, "rejected");
    }

    static Case queue(String name, String message, String reason) {
        return new Case(name, Kind.QUEUE, message, 0, reason, "rejected");
    }

    static String scopeBody(String scope) {
        return JSON.createObjectNode().put("scope", scope).toString();
    }

    static Stream<Case> cases() {
        String rg = RG_WEB;
        String other = vmId(DEV, "rg-web", "vm-web-2");
        List<Case> c = new ArrayList<>();
        // Remediate bodies
        c.add(remediate("malformed JSON", "{\"scope\": ", "not valid JSON"));
        c.add(remediate("not JSON at all", "scope=" + VM, "not valid JSON"));
        c.add(remediate("empty body", "", "must be JSON"));
        c.add(remediate("a JSON array", "[\"" + VM + "\"]", "JSON object"));
        c.add(remediate("a JSON string", "\"" + VM + "\"", "JSON object"));
        c.add(remediate("scope is a number", "{\"scope\": 42}", "\"scope\" must be"));
        c.add(remediate("scope is an array", "{\"scope\": [\"" + VM + "\"]}", "\"scope\" must be"));
        c.add(remediate("scope is an object", "{\"scope\": {\"id\": \"" + VM + "\"}}", "\"scope\" must be"));
        c.add(remediate("scope is null", "{\"scope\": null}", "\"scope\" must be"));
        c.add(remediate("dryRun is a string", "{\"scope\": \"" + VM + "\", \"dryRun\": \"false\"}",
                "\"dryRun\" must be"));
        c.add(remediate("dryRun is a number", "{\"scope\": \"" + VM + "\", \"dryRun\": 0}", "\"dryRun\" must be"));
        c.add(remediate("scope missing", "{\"dryRun\": false}", "\"scope\" must be"));
        c.add(remediate("an extra field", "{\"scope\": \"" + VM + "\", \"force\": true}", "unknown field"));
        c.add(remediate("duplicate scope field", "{\"scope\": \"/subscriptions/" + DEV + "\", \"scope\": \"" + VM
                + "\"}", "Duplicate field"));
        c.add(remediate("a second JSON value after the object", scopeBody(VM) + " " + scopeBody(rg),
                "not valid JSON"));
        c.add(remediate("'..' segment", scopeBody(rg + "/../rg-data"), "'..'"));
        c.add(remediate("'..' spelled as unicode escapes", "{\"scope\": \"" + rg + "/\\u002e\\u002e/rg-data\"}",
                "'..'"));
        c.add(remediate("%2F in the id", scopeBody(rg + "%2Fproviders%2FMicrosoft.Compute"), "percent-encoding"));
        c.add(remediate("backslashes", scopeBody(rg.replace('/', '\\')), "backslash"));
        c.add(remediate("a control character", scopeBody(rg + "\u0000"), "control character"));
        c.add(remediate("leading whitespace", scopeBody(" " + rg), "whitespace"));
        c.add(remediate("non-GUID subscription", scopeBody("/subscriptions/not-a-guid/resourceGroups/rg-web"),
                "not a GUID"));
        c.add(remediate("unsupported resource type", scopeBody(rg + "/providers/Microsoft.Storage/storageAccounts/s"),
                "unsupported scope type"));
        c.add(remediate("an id longer than 2048", scopeBody(rg + "/" + "a".repeat(3000)), "longer than 2048"));
        c.add(remediate("body > 1 MiB", "{\"scope\": \"" + VM + "\", \"pad\": \"" + "x".repeat(1_100_000) + "\"}",
                "larger than"));
        c.add(remediate("nested 10,000 deep (unclosed, 10 KB)", "{\"scope\": " + "[".repeat(10_000),
                "nested deeper than"));
        c.add(remediate("nested 10,000 deep (closed, 20 KB)", "[".repeat(10_000) + "]".repeat(10_000),
                "larger than"));
        c.add(remediate("nested 9 deep (within the size limit)", "{\"scope\": " + "[".repeat(9) + "]".repeat(9) + "}",
                "nested deeper than"));
        c.add(new Case("another subscription, outside JITGUARD_SUBSCRIPTIONS", Kind.REMEDIATE, scopeBody(other), 403,
                "outside JITGUARD_SUBSCRIPTIONS", "out-of-scope"));
        // Coverage queries
        c.add(coverage("scope missing", null, "scope="));
        c.add(coverage("scope blank", "  ", "scope="));
        c.add(coverage("not an id", "rg-web", "/subscriptions/"));
        c.add(coverage("'..' segment", rg + "/../rg-data", "'..'"));
        c.add(coverage("%2F in the id", rg + "%2F..", "percent-encoding"));
        c.add(coverage("non-GUID subscription", "/subscriptions/x/resourceGroups/rg-web", "not a GUID"));
        c.add(new Case("another subscription, outside JITGUARD_SUBSCRIPTIONS", Kind.COVERAGE, other, 403,
                "outside JITGUARD_SUBSCRIPTIONS", "out-of-scope"));
        // Queue messages
        c.add(queue("malformed JSON", "{\"subscriptionId\": ", "not JSON"));
        c.add(queue("empty", "", "empty"));
        c.add(queue("a JSON array", "[\"" + PROD + "\"]", "not a JSON object"));
        c.add(queue("subscriptionId is a number", "{\"subscriptionId\": 42}", "not a string"));
        c.add(queue("subscriptionId is an object", "{\"subscriptionId\": {\"id\": \"" + PROD + "\"}}",
                "not a string"));
        c.add(queue("scope is an array", "{\"scope\": [\"" + VM + "\"]}", "scope is not a string"));
        c.add(queue("non-GUID subscriptionId", "{\"subscriptionId\": \"not-a-guid\"}", "not a GUID"));
        c.add(queue("subscriptionId with a path", "{\"subscriptionId\": \"" + PROD + "/resourceGroups/rg-web\"}",
                "not a GUID"));
        c.add(queue("scope with '..'", "{\"scope\": \"" + rg + "/../rg-data\"}", "'..'"));
        c.add(queue("scope with %2F", "{\"scope\": \"" + rg + "%2F..\"}", "percent-encoding"));
        c.add(queue("scope with a non-GUID subscription", "{\"scope\": \"/subscriptions/x\"}", "not a GUID"));
        c.add(queue("unknown field", "{\"subscriptionId\": \"" + PROD + "\", \"force\": true}", "unknown field"));
        c.add(queue("both subscriptionId and scope", "{\"subscriptionId\": \"" + PROD + "\", \"scope\": \"" + VM
                + "\"}", "both"));
        c.add(queue("duplicate field", "{\"scope\": \"/subscriptions/" + DEV + "\", \"scope\": \"" + VM + "\"}",
                "duplicate"));
        c.add(queue("trailing content", "{\"subscriptionId\": \"" + PROD + "\"} x", "not JSON"));
        c.add(queue("huge (1 MiB)", "{\"subscriptionId\": \"" + "a".repeat(1 << 20) + "\"}", "longer than"));
        c.add(queue("nested 30,000 deep", "[".repeat(30_000) + "]".repeat(30_000), "longer than"));
        c.add(queue("nested 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000), "nested deeper than"));
        c.add(queue("nested 10 deep (within the size limit)", "{\"scope\": " + "[".repeat(10) + "]".repeat(10) + "}",
                "nested deeper than"));
        c.add(new Case("a subscription outside JITGUARD_SUBSCRIPTIONS", Kind.QUEUE,
                "{\"subscriptionId\": \"" + DEV + "\"}", 0, "outside JITGUARD_SUBSCRIPTIONS", "out-of-scope"));
        c.add(new Case("a scope outside JITGUARD_SUBSCRIPTIONS", Kind.QUEUE, "{\"scope\": \"" + other + "\"}", 0,
                "outside JITGUARD_SUBSCRIPTIONS", "out-of-scope"));
        return c.stream();
    }

    @BeforeEach
    void onlyProdInScope() {
        env.put("JITGUARD_SUBSCRIPTIONS", PROD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithAReasonAndNoArmCallThenAValidRequestWorks(Case c) throws IOException {
        FunctionsRuntime runtime = runtime();
        ExecutionContext context = context(c.kind().name());

        switch (c.kind()) {
            case REMEDIATE -> assertRefused(c, new Remediate(runtime).run(post("remediate", c.input()),
                    context));
            case COVERAGE -> assertRefused(c, new Coverage(runtime).run(get("coverage",
                    c.input() == null ? Map.of() : Map.of("scope", c.input())), context));
            case QUEUE -> new SweepSubscription(runtime).run(c.input(), context); // returns: dropped, not retried
        }

        JsonNode decision = onlyDecision(context);
        assertThat(decision.path("result").asText()).isEqualTo(c.result());
        if (c.kind() == Kind.QUEUE) {
            assertThat(decision.path("reason").asText()).containsIgnoringCase(c.reason());
        }
        assertThat(String.join("\n", lines(context))).as("a huge input is not echoed into the log")
                .hasSizeLessThan(4096);
        assertThat(emulator.stats().reads()).as("ARM reads").isZero();
        assertThat(emulator.stats().writes()).as("ARM writes").isZero();

        // The same runtime serves a valid request afterwards.
        ExecutionContext next = context(c.kind().name());
        switch (c.kind()) {
            case REMEDIATE -> assertThat(new Remediate(runtime).run(post("remediate", scopeBody(VM)),
                    next).getStatusCode()).isEqualTo(200);
            case COVERAGE -> assertThat(new Coverage(runtime).run(get("coverage",
                    Map.of("scope", VM)), next).getStatusCode()).isEqualTo(200);
            case QUEUE -> new SweepSubscription(runtime).run(SweepMessage.of(io.jitguard.scope.Scopes.parse(VM))
                    .toJson(), next);
        }
        assertThat(onlyDecision(next).path("result").asText())
                .isEqualTo(c.kind() == Kind.COVERAGE ? "would-fix" : "fixed");
    }

    static void assertRefused(Case c, HttpResponseMessage response) throws IOException {
        assertThat(response.getStatusCode()).isEqualTo(c.status());
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree((String) response.getBody());
        assertThat(body.path("error").asText()).contains(c.reason()).hasSizeLessThan(1024);
    }
}
