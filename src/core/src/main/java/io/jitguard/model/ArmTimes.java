package io.jitguard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The times ARM puts in its documents ({@code properties.timeCreated}, {@code systemData}), read leniently. */
public final class ArmTimes {
    private ArmTimes() {
    }

    /** An RFC 3339 timestamp, or null when absent or not one (a time ARM does not give is unknown, not guessed). */
    public static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** When a resource was last changed: {@code systemData.lastModifiedAt}, else {@code createdAt}; null if neither. */
    public static Instant lastModified(JsonNode document) {
        JsonNode sd = document == null ? null : document.path("systemData");
        if (sd == null || !sd.isObject()) {
            return null;
        }
        Instant modified = instant(sd.get("lastModifiedAt"));
        return modified != null ? modified : instant(sd.get("createdAt"));
    }
}
