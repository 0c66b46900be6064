package io.jitguard.model;

import java.util.List;

/**
 * One entry of a policy assignment's or exemption's {@code resourceSelectors}: a resource is selected when it meets
 * every one of {@link #selectors}; a list of resource selectors selects a resource when any one of them does.
 */
public record ResourceSelector(String name, List<Selector> selectors) {
    public ResourceSelector {
        selectors = List.copyOf(selectors);
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
