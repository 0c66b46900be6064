package io.jitguard.emulator;

import static io.jitguard.emulator.ArmHttp.NODES;
import static io.jitguard.emulator.ArmHttp.lc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The emulated tenant's state: subscriptions, resource groups and raw ARM resources keyed by lower-cased id, with a
 * per-type index so lists scan only their type. Stored nodes are never mutated after they are stored (a write replaces
 * the node), so readers may serialize a node they got without copying; callers that change a node copy it first.
 * All methods lock the store; compound read-validate-write sequences hold {@code synchronized (store)}.
 */
final class ResourceStore {
    private final Map<String, ObjectNode> subscriptions = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> groups = new LinkedHashMap<>();
    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
    /** type → subscription → id → node (all lower case), so a list scans only its subscription's resources of its type. */
    private final Map<String, Map<String, Map<String, ObjectNode>>> byType = new LinkedHashMap<>();
    private final Map<String, java.util.Set<String>> unregistered = new LinkedHashMap<>();
    private final java.util.Set<String> omitted;

    ResourceStore(Estate estate) {
        String tenantId = estate.tenantId();
        this.omitted = new java.util.HashSet<>(estate.omittedFromSubscriptionList());
        for (Estate.Subscription s : estate.subscriptions()) {
            ObjectNode sub = NODES.objectNode();
            sub.put("id", "/subscriptions/" + s.subscriptionId());
            sub.put("subscriptionId", s.subscriptionId());
            sub.put("displayName", s.displayName());
            sub.put("state", s.state());
            sub.put("tenantId", tenantId);
            subscriptions.put(lc(s.subscriptionId()), sub);
            java.util.Set<String> un = new java.util.HashSet<>();
            s.unregisteredProviders().forEach(n -> un.add(lc(n)));
            unregistered.put(lc(s.subscriptionId()), un);
            Map<String, ObjectNode> rgs = new LinkedHashMap<>();
            for (Estate.ResourceGroup g : s.resourceGroups()) {
                ObjectNode rg = NODES.objectNode();
                rg.put("id", "/subscriptions/" + s.subscriptionId() + "/resourceGroups/" + g.name());
                rg.put("name", g.name());
                rg.put("type", "Microsoft.Resources/resourceGroups");
                rg.put("location", g.location());
                if (g.managedBy() != null) {
                    rg.put("managedBy", g.managedBy());
                }
                ObjectNode tags = rg.putObject("tags");
                g.tags().forEach(tags::put);
                rg.putObject("properties").put("provisioningState", "Succeeded");
                rgs.put(lc(g.name()), rg);
            }
            groups.put(lc(s.subscriptionId()), rgs);
        }
        estate.forEachResource(this::put);
    }

    synchronized ObjectNode subscription(String sub) {
        ObjectNode s = subscriptions.get(lc(sub));
        if (s == null) {
            throw new ArmHttp.ArmError(404, "SubscriptionNotFound", "The subscription '" + sub + "' could not be found.");
        }
        return s;
    }

    synchronized ObjectNode resourceGroup(String subId, String rg) {
        ObjectNode g = groups.getOrDefault(lc(subId), Map.of()).get(lc(rg));
        if (g == null) {
            throw new ArmHttp.ArmError(404, "ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        return g;
    }

    synchronized void putResourceGroup(String subId, String name, String location) {
        String sub = subscription(subId).get("subscriptionId").asText();
        ObjectNode rg = NODES.objectNode();
        rg.put("id", "/subscriptions/" + sub + "/resourceGroups/" + name);
        rg.put("name", name);
        rg.put("type", "Microsoft.Resources/resourceGroups");
        rg.put("location", location);
        rg.putObject("tags");
        rg.putObject("properties").put("provisioningState", "Succeeded");
        groups.computeIfAbsent(lc(sub), k -> new LinkedHashMap<>()).put(lc(name), rg);
    }

    synchronized List<ObjectNode> subscriptions() {
        return new ArrayList<>(subscriptions.values());
    }

    synchronized List<ObjectNode> resourceGroups(String subId) {
        return new ArrayList<>(groups.getOrDefault(lc(subId), Map.of()).values());
    }

    /** The stored node (not a copy; do not change it), or {@code null}. */
    synchronized ObjectNode find(String id) {
        return resources.get(ArmId.key(id));
    }

    /** The stored node (not a copy; do not change it), or 404 {@code ResourceNotFound}. */
    synchronized ObjectNode get(String id, String rg) {
        ObjectNode res = resources.get(ArmId.key(id));
        if (res == null) {
            throw notFound(id, rg);
        }
        return res;
    }

    static ArmHttp.ArmError notFound(String id, String rg) {
        String what;
        try {
            ArmId a = ArmId.parse(id);
            what = a.type() + "/" + a.name();
        } catch (IllegalArgumentException e) {
            what = id;
        }
        return new ArmHttp.ArmError(404, "ResourceNotFound", "The Resource '" + what + "'"
                + (rg == null ? "" : " under resource group '" + rg + "'") + " was not found."
                + " For more details please go to https://aka.ms/ARMResourceNotFoundFix");
    }

    /** Stores {@code resource} (which must have {@code id} and {@code type}); the store keeps this very node. */
    synchronized void put(ObjectNode resource) {
        String key = ArmId.key(resource.get("id").asText());
        ObjectNode old = resources.put(key, resource);
        if (old != null && !old.path("type").asText().equalsIgnoreCase(resource.path("type").asText())) {
            unindex(old, key);
        }
        byType.computeIfAbsent(lc(resource.path("type").asText()), k -> new LinkedHashMap<>())
                .computeIfAbsent(subscriptionOf(key), k -> new LinkedHashMap<>()).put(key, resource);
    }

    /** Whether resource provider {@code namespace} is registered on {@code subId} (all are, unless the estate says not). */
    synchronized boolean registered(String subId, String namespace) {
        return !unregistered.getOrDefault(lc(subId), java.util.Set.of()).contains(lc(namespace));
    }

    /** Whether the subscription-scope JIT lists leave this policy out (estate {@code omitFromSubscriptionList}). */
    synchronized boolean omittedFromSubscriptionList(ObjectNode jitPolicy) {
        return omitted.contains(ArmId.key(jitPolicy.path("id").asText()));
    }

    synchronized ObjectNode remove(String id) {
        String key = ArmId.key(id);
        omitted.remove(key);
        ObjectNode old = resources.remove(key);
        if (old != null) {
            unindex(old, key);
        }
        return old;
    }

    private void unindex(ObjectNode old, String key) {
        Map<String, ObjectNode> t = byType.getOrDefault(lc(old.path("type").asText()), Map.of()).get(subscriptionOf(key));
        if (t != null) {
            t.remove(key);
        }
    }

    /** The subscription segment of a lower-case id or scope ({@code /subscriptions/{sub}/...}), or "" for none. */
    private static String subscriptionOf(String lowerId) {
        if (!lowerId.startsWith("/subscriptions/")) {
            return "";
        }
        int end = lowerId.indexOf('/', "/subscriptions/".length());
        return end < 0 ? lowerId.substring("/subscriptions/".length()) : lowerId.substring("/subscriptions/".length(), end);
    }

    /** Stored nodes of {@code type} under {@code scope}, optionally only those under {@code /locations/{location}/}. */
    List<ObjectNode> list(String type, String scope, String location) {
        return list(type, scope, location, r -> true);
    }

    synchronized List<ObjectNode> list(String type, String scope, String location, Predicate<ObjectNode> filter) {
        String prefix = lc(scope) + "/";
        String loc = location == null ? null : "/locations/" + lc(location) + "/";
        List<ObjectNode> out = new ArrayList<>();
        Map<String, Map<String, ObjectNode>> bySubscription = byType.getOrDefault(lc(type), Map.of());
        String sub = subscriptionOf(lc(scope));
        Iterable<Map<String, ObjectNode>> candidates = sub.isEmpty() ? bySubscription.values()
                : List.of(bySubscription.getOrDefault(sub, Map.of()));
        for (Map<String, ObjectNode> resourcesOfSubscription : candidates) {
            for (Map.Entry<String, ObjectNode> e : resourcesOfSubscription.entrySet()) {
                if (e.getKey().startsWith(prefix) && (loc == null || e.getKey().contains(loc))
                        && filter.test(e.getValue())) {
                    out.add(e.getValue());
                }
            }
        }
        return out;
    }

    synchronized int size() {
        return resources.size();
    }
}
