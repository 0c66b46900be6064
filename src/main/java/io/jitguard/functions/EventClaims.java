package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code data.claims} of each event of a delivery (Event Grid schema or CloudEvents, one event or an array), by
 * event id: who caused the ARM operation. Only read after {@code EventRouter} accepted the delivery.
 */
final class EventClaims {
    static final String UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> byId;

    private EventClaims(Map<String, JsonNode> byId) {
        this.byId = byId;
    }

    static EventClaims of(String delivery) {
        Map<String, JsonNode> byId = new HashMap<>();
        try {
            JsonNode root = JSON.readTree(delivery);
            if (root != null && root.isArray()) {
                root.forEach(e -> add(byId, e));
            } else if (root != null) {
                add(byId, root);
            }
        } catch (IOException e) {
            // the router has rejected it already
        }
        return new EventClaims(byId);
    }

    private static void add(Map<String, JsonNode> byId, JsonNode event) {
        JsonNode id = event.get("id");
        JsonNode claims = event.path("data").get("claims");
        if (id != null && id.isTextual() && claims != null && claims.isObject()) {
            byId.putIfAbsent(id.asText(), claims);
        }
    }

    /** The claims of the event with this id, or null. */
    JsonNode claims(String eventId) {
        return eventId == null ? null : byId.get(eventId);
    }

    /** Who, as {@code name / upn / appid} (those the claims carry), or null when none is there. */
    static String actor(JsonNode claims) {
        if (claims == null) {
            return null;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String[] fields : new String[][] {{"name"}, {UPN, "upn", "unique_name"}, {"appid", "azp"}}) {
            for (String field : fields) {
                JsonNode v = claims.get(field);
                if (v != null && v.isTextual() && !v.asText().isBlank()) {
                    String text = v.asText().strip();
                    parts.add(text.length() > 120 ? text.substring(0, 120) : text);
                    break;
                }
            }
        }
        return parts.isEmpty() ? null : String.join(" / ", parts);
    }
}
