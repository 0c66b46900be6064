package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/remediate} with {@code {"scope": "<resource id>", "dryRun": false}}: reconciles that VM, resource
 * group or subscription now and answers with the CLI's JSON report. See {@link HttpRuns} for the status codes.
 */
public class Remediate {
    static final String TRIGGER = "http:remediate";
    static final int MAX_BODY_CHARS = 16 * 1024;
    /** The body is one flat object; anything nested deeper is not a request. */
    static final int MAX_DEPTH = 8;
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_BODY_CHARS).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> FIELDS = Set.of("scope", "dryRun");

    private final FunctionsRuntime runtime;

    public Remediate() {
        this(FunctionsRuntime.shared());
    }

    public Remediate(FunctionsRuntime runtime) {
        this.runtime = runtime;
    }

    @FunctionName("Remediate")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "remediate") HttpRequestMessage<Optional<String>> request,
            final ExecutionContext context) {
        HttpAccess.Verdict access = HttpAccess.check(runtime.requirePrincipal(), request, HttpAccess.Need.REMEDIATE);
        Decision decision = Decision.of(TRIGGER, context.getInvocationId()).actor(access.actor());
        if (!access.allowed()) {
            return HttpRuns.deny(request, context, decision, access);
        }
        String body = request.getBody() == null ? null : request.getBody().orElse(null);
        if (body == null || body.isBlank()) {
            return reject(request, context, decision, "the body must be JSON: {\"scope\": \"<resource id>\","
                    + " \"dryRun\": false}");
        }
        if (body.length() > MAX_BODY_CHARS) {
            return reject(request, context, decision, "the body is larger than " + MAX_BODY_CHARS + " characters");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            return reject(request, context, decision, "the body is nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            return reject(request, context, decision, "the body is not valid JSON: "
                    + firstLine(e.getOriginalMessage()));
        }
        if (json == null || !json.isObject()) {
            return reject(request, context, decision, "the body must be a JSON object with \"scope\"");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return reject(request, context, decision, "unknown field \"" + (name.length() > 50
                        ? name.substring(0, 50) + "…" : name) + "\" (expected \"scope\" and \"dryRun\")");
            }
        }
        JsonNode scope = json.get("scope");
        if (scope == null || !scope.isTextual()) {
            return reject(request, context, decision, "\"scope\" must be a resource id string");
        }
        JsonNode dryRun = json.get("dryRun");
        if (dryRun != null && !dryRun.isBoolean() && !dryRun.isNull()) {
            return reject(request, context, decision, "\"dryRun\" must be true or false");
        }
        return HttpRuns.reconcile(runtime, request, context, TRIGGER, scope.asText(),
                dryRun != null && dryRun.asBoolean(false));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static HttpResponseMessage reject(HttpRequestMessage<?> request, ExecutionContext context,
                                              Decision decision, String reason) {
        return HttpRuns.reject(request, context, decision, reason);
    }
}
