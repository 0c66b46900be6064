package io.jitguard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Edits of an estate document before a test starts the emulator on it. */
public final class EstateEdits {
    private EstateEdits() {
    }

    /** The resources of the estate's first subscription. */
    public static ArrayNode resources(ObjectNode estate) {
        return (ArrayNode) estate.path("subscriptions").get(0).path("resources");
    }

    /** The first resource of the first subscription whose id ends with {@code idSuffix}. */
    public static ObjectNode resource(ObjectNode estate, String idSuffix) {
        for (JsonNode r : resources(estate)) {
            if (r.path("id").asText().endsWith(idSuffix)) {
                return (ObjectNode) r;
            }
        }
        throw new AssertionError("no resource " + idSuffix);
    }
}
