package io.jitguard.model;

import java.util.Map;

public record ResourceGroup(String subscriptionId, String name, String location, Map<String, String> tags) {
    public ResourceGroup {
        tags = Map.copyOf(tags);
    }
}
