package io.jitguard.functions;

import io.jitguard.model.ArmId;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import io.jitguard.scope.SubscriptionScope;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A work item on the {@code jitguard-sweep} queue, one of two shapes:
 * <ul>
 * <li>{@code {"subscriptionId":"<guid>"}}: a subscription of the nightly sweep ({@link NightlySweep});</li>
 * <li>{@code {"scope":"<resource id>"}}: a scope an Event Grid invocation could not finish in time and handed off
 * ({@link OnResourceEvent}); any id {@link Scopes#parse} accepts.</li>
 * </ul>
 * Exactly one of the two fields; nothing else.
 *
 * @param subscriptionId the subscription of a {@code subscriptionId} message, else null
 * @param scopeId        the resource id of a {@code scope} message (as {@link Scope#id()} writes it), else null
 */
public record SweepMessage(String subscriptionId, String scopeId) {
    public static final String QUEUE = "jitguard-sweep";
    /** Anything larger is not one of ours (a scope id is at most {@value Scopes#MAX_LENGTH} characters). */
    static final int MAX_CHARS = 4096;
    static final int MAX_DEPTH = 4;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_CHARS).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());
    private static final Pattern GUID = ArmId.GUID;

    public SweepMessage {
        if ((subscriptionId == null) == (scopeId == null)) {
            throw new IllegalArgumentException("exactly one of subscriptionId and scope must be set");
        }
        if (subscriptionId != null && !GUID.matcher(subscriptionId).matches()) {
            throw new IllegalArgumentException("subscriptionId is not a GUID: " + shown(subscriptionId));
        }
        if (scopeId != null) {
            try {
                Scopes.parse(scopeId);
            } catch (InvalidScopeException e) {
                throw new IllegalArgumentException("scope is not a scope jitguard reconciles: " + e.getMessage());
            }
        }
    }

    /** {@code {"subscriptionId":"<guid>"}}. */
    public SweepMessage(String subscriptionId) {
        this(Objects.requireNonNull(subscriptionId, "subscriptionId"), null);
    }

    /** {@code {"scope":"<scope id>"}}: the scope handed off by an event invocation. */
    public static SweepMessage of(Scope scope) {
        return new SweepMessage(null, scope.id());
    }

    public static boolean isSubscriptionId(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    /** The scope to reconcile: the subscription, or the parsed resource id. */
    public Scope scope() {
        return subscriptionId != null ? new SubscriptionScope(subscriptionId) : Scopes.parse(scopeId);
    }

    public String toJson() {
        ObjectNode node = subscriptionId != null ? JSON.createObjectNode().put("subscriptionId", subscriptionId)
                : JSON.createObjectNode().put("scope", scopeId);
        return node.toString();
    }

    /** @throws IllegalArgumentException with a one-line reason when the message is not a work item */
    public static SweepMessage parse(String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("the message is empty");
        }
        if (message.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the message is longer than " + MAX_CHARS + " characters");
        }
        JsonNode node;
        try (JsonParser parser = JSON.createParser(message)) {
            node = JSON.readTree(parser);
            if (node != null && parser.nextToken() != null) {
                throw new IllegalArgumentException("the message has content after the JSON value");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the message is not JSON (or nested deeper than " + MAX_DEPTH
                    + ", or has a duplicate field): " + shown(message));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the message is not a JSON object: " + shown(message));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("subscriptionId") && !name.equals("scope")) {
                throw new IllegalArgumentException("unknown field '" + shown(name)
                        + "' (expected \"subscriptionId\" or \"scope\")");
            }
        }
        JsonNode id = node.get("subscriptionId");
        JsonNode scope = node.get("scope");
        if (id != null && scope != null) {
            throw new IllegalArgumentException("both subscriptionId and scope are set; a work item names one");
        }
        if (scope != null) {
            if (!scope.isTextual()) {
                throw new IllegalArgumentException("scope is not a string");
            }
            return new SweepMessage(null, scope.asText());
        }
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("subscriptionId (or scope) is missing or not a string");
        }
        return new SweepMessage(id.asText());
    }

    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }
}
