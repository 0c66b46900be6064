package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.regex.Pattern;

/** A work item on the {@code jitguard-sweep} queue: {@code {"subscriptionId":"<guid>"}}. */
public record SweepMessage(String subscriptionId) {
    public static final String QUEUE = "jitguard-sweep";
    /** Anything larger is not one of ours. */
    static final int MAX_CHARS = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public SweepMessage {
        if (subscriptionId == null || !GUID.matcher(subscriptionId).matches()) {
            throw new IllegalArgumentException("subscriptionId is not a GUID: " + shown(subscriptionId));
        }
    }

    public static boolean isSubscriptionId(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode().put("subscriptionId", subscriptionId);
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
        try {
            node = JSON.readTree(message);
        } catch (IOException e) {
            throw new IllegalArgumentException("the message is not JSON: " + shown(message));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the message is not a JSON object: " + shown(message));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("subscriptionId")) {
                throw new IllegalArgumentException("unknown field '" + shown(name) + "'");
            }
        }
        JsonNode id = node.get("subscriptionId");
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("subscriptionId is missing or not a string");
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
