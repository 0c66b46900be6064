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
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import io.jitguard.scope.SubscriptionScope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A work item on the {@code jitguard-sweep} queue, one of two shapes:
 * <ul>
 * <li>{@code {"subscriptionId":"<guid>"}}: a subscription of the nightly sweep ({@link NightlySweep});</li>
 * <li>{@code {"scope":"<resource id>"}}: a scope an Event Grid invocation could not finish in time and handed off
 * ({@link OnResourceEvent}), or a part of a night {@link NightPlan} sized (a resource group, or a subscription's
 * monitoring only); any id {@link Scopes#parse} accepts;</li>
 * <li>{@code {"subscriptionId":"<guid>","except":["<rg>",...]}}: the remainder of a split subscription, every resource
 * group but those named (each has an item of its own) plus the subscription's monitoring effect.</li>
 * </ul>
 * Exactly one of {@code subscriptionId} and {@code scope}; {@code except} only with {@code subscriptionId}; nothing
 * else. Messages written before {@code except} existed parse as they did.
 *
 * @param subscriptionId the subscription of a {@code subscriptionId} message, else null
 * @param scopeId        the resource id of a {@code scope} message (as {@link Scope#id()} writes it), else null
 * @param except         the resource groups a remainder leaves to their own items, else empty
 */
public record SweepMessage(String subscriptionId, String scopeId, List<String> except) {
    public static final String QUEUE = "jitguard-sweep";
    /**
     * Anything larger is not one of ours: a queue message holds 64 KiB, base64-encoded as host.json says, so 48 KiB
     * of JSON; a scope id is at most {@value Scopes#MAX_LENGTH} characters.
     */
    static final int MAX_CHARS = 48_000;
    /** The longest string field: a scope id or a resource group name. */
    static final int MAX_STRING = 4096;
    static final int MAX_DEPTH = 4;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());
    private static final Pattern GUID = ArmId.GUID;

    public SweepMessage {
        except = except == null ? List.of() : List.copyOf(except);
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
        if (!except.isEmpty() && subscriptionId == null) {
            throw new IllegalArgumentException("except names resource groups of a subscriptionId item, not of a scope");
        }
        Set<String> seen = new HashSet<>();
        for (String group : except) {
            if (!isResourceGroupName(subscriptionId, group)) {
                throw new IllegalArgumentException("except holds something that is not a resource group name: "
                        + shown(String.valueOf(group)));
            }
            if (!seen.add(group.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("except names resource group " + shown(group) + " twice");
            }
        }
    }

    public SweepMessage(String subscriptionId, String scopeId) {
        this(subscriptionId, scopeId, List.of());
    }

    /** {@code {"subscriptionId":"<guid>"}}. */
    public SweepMessage(String subscriptionId) {
        this(Objects.requireNonNull(subscriptionId, "subscriptionId"), null);
    }

    /**
     * {@code {"subscriptionId":"<guid>","except":[...]}}: every resource group of the subscription but {@code named},
     * and its monitoring effect.
     */
    public static SweepMessage remainder(String subscriptionId, List<String> named) {
        if (named.isEmpty()) {
            throw new IllegalArgumentException("a remainder leaves out at least one resource group");
        }
        return new SweepMessage(Objects.requireNonNull(subscriptionId, "subscriptionId"), null, named);
    }

    /** Whether this is the remainder of a split subscription. */
    public boolean isRemainder() {
        return !except.isEmpty();
    }

    /** {@code {"scope":"<scope id>"}}: the scope handed off by an event invocation. */
    public static SweepMessage of(Scope scope) {
        return new SweepMessage(null, scope.id());
    }

    /** Whether {@code group} is a resource group name jitguard reconciles (one segment, ARM's characters). */
    static boolean isResourceGroupName(String subscriptionId, String group) {
        if (group == null || group.indexOf('/') >= 0) {
            return false;
        }
        try {
            return Scopes.parse("/subscriptions/" + subscriptionId + "/resourceGroups/" + group)
                    instanceof ResourceGroupScope;
        } catch (InvalidScopeException e) {
            return false;
        }
    }

    public static boolean isSubscriptionId(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    /** The scope to reconcile: the subscription (of a remainder: the part {@code except} leaves), or the parsed id. */
    public Scope scope() {
        return subscriptionId != null ? new SubscriptionScope(subscriptionId) : Scopes.parse(scopeId);
    }

    public String toJson() {
        ObjectNode node = subscriptionId != null ? JSON.createObjectNode().put("subscriptionId", subscriptionId)
                : JSON.createObjectNode().put("scope", scopeId);
        if (!except.isEmpty()) {
            except.forEach(node.putArray("except")::add);
        }
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
            if (!name.equals("subscriptionId") && !name.equals("scope") && !name.equals("except")) {
                throw new IllegalArgumentException("unknown field '" + shown(name)
                        + "' (expected \"subscriptionId\", \"scope\" or \"except\")");
            }
        }
        JsonNode id = node.get("subscriptionId");
        JsonNode scope = node.get("scope");
        if (id != null && scope != null) {
            throw new IllegalArgumentException("both subscriptionId and scope are set; a work item names one");
        }
        if (scope != null) {
            if (node.has("except")) {
                throw new IllegalArgumentException("except names resource groups of a subscriptionId item, not of a"
                        + " scope");
            }
            if (!scope.isTextual()) {
                throw new IllegalArgumentException("scope is not a string");
            }
            return new SweepMessage(null, scope.asText());
        }
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("subscriptionId (or scope) is missing or not a string");
        }
        JsonNode except = node.get("except");
        if (except == null) {
            return new SweepMessage(id.asText());
        }
        if (!except.isArray() || except.isEmpty()) {
            throw new IllegalArgumentException("except is not a non-empty array of resource group names");
        }
        List<String> named = new ArrayList<>();
        for (JsonNode group : except) {
            if (!group.isTextual()) {
                throw new IllegalArgumentException("except holds something that is not a string");
            }
            named.add(group.asText());
        }
        return remainder(id.asText(), named);
    }

    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }
}
