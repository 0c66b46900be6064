package io.jitguard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a policy assignment's or exemption's {@code resourceSelectors}: a resource is selected when it meets
 * every one of {@link #selectors}; a list of resource selectors selects a resource when any one of them does.
 */
public record ResourceSelector(String name, List<Selector> selectors) {
    public ResourceSelector {
        selectors = List.copyOf(selectors);
    }

    /** A {@code resourceSelectors} array as ARM returned it; anything that is not an array is none. */
    public static List<ResourceSelector> parseAll(JsonNode array) {
        List<ResourceSelector> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        for (JsonNode rs : array) {
            List<Selector> selectors = new ArrayList<>();
            for (JsonNode s : rs.path("selectors")) {
                selectors.add(new Selector(s.path("kind").asText(""), values(s.get("in")), values(s.get("notIn"))));
            }
            out.add(new ResourceSelector(rs.path("name").asText(null), selectors));
        }
        return out;
    }

    private static List<String> values(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /**
     * @param kind  {@code resourceLocation}, {@code resourceType}, {@code resourceWithoutLocation} (or any text ARM
     *              returned)
     * @param in    the allowed values, null when absent
     * @param notIn the excluded values, null when absent
     */
    public record Selector(String kind, List<String> in, List<String> notIn) {
        public Selector {
            in = in == null ? null : List.copyOf(in);
            notIn = notIn == null ? null : List.copyOf(notIn);
        }
    }
}
