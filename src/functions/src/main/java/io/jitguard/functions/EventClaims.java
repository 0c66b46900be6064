package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code data.claims} of each event of a delivery (Event Grid schema or CloudEvents, one event or an array), by
 * position in the delivery (as {@code RoutedEvent.index}): who caused the ARM operation. Only read after
 * {@code EventRouter} accepted the delivery.
 */
final class EventClaims {
    static final String UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> byIndex;

    private EventClaims(List<JsonNode> byIndex) {
        this.byIndex = byIndex;
    }

    static EventClaims of(String delivery) {
        List<JsonNode> byIndex = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(delivery);
            if (root != null && root.isArray()) {
                root.forEach(e -> byIndex.add(claimsOf(e)));
            } else if (root != null) {
                byIndex.add(claimsOf(root));
            }
        } catch (IOException e) {
            // the router has rejected it already
        }
        return new EventClaims(byIndex);
    }

    private static JsonNode claimsOf(JsonNode event) {
        JsonNode claims = event.path("data").get("claims");
        return claims != null && claims.isObject() ? claims : null;
    }

    /** The claims of the event at this position of the delivery, or null. */
    JsonNode claims(int index) {
        return index >= 0 && index < byIndex.size() ? byIndex.get(index) : null;
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
