package io.jitguard.model;

import java.util.Map;

/**
 * @param managedBy the id of the resource that manages the group ({@code managedBy}, e.g. a Databricks workspace):
 *                  such a group carries a deny assignment that refuses writes; null when unmanaged
 */
public record ResourceGroup(String subscriptionId, String name, String location, Map<String, String> tags,
                            String managedBy) {
    public ResourceGroup {
        tags = Map.copyOf(tags);
    }

    public ResourceGroup(String subscriptionId, String name, String location, Map<String, String> tags) {
        this(subscriptionId, name, location, tags, null);
    }
}
