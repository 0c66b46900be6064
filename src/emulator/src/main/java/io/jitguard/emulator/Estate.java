package io.jitguard.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The emulated Azure estate: tenant, subscriptions, resource groups and raw ARM resources, plus page size and fault
 * settings. Parsed and validated up front; every problem is an {@link EstateException} whose message names the place,
 * e.g. {@code subscriptions[1].resources[3]: id is missing}. Immutable: accessors return copies. Format: docs/estate.md.
 */
public final class Estate {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A subscription of the estate. */
    public record Subscription(String subscriptionId, String displayName, String state, List<ResourceGroup> resourceGroups) {
    }

    /** A resource group; tags as given. */
    public record ResourceGroup(String name, String location, Map<String, String> tags) {
    }

    private final String tenantId;
    private final int pageSize;
    private final ObjectNode faults;
    private final List<Subscription> subscriptions;
    private final List<ObjectNode> resources;
    private final java.time.Duration latency;
    private final boolean armThrottling;

    private Estate(String tenantId, int pageSize, ObjectNode faults, List<Subscription> subscriptions,
            List<ObjectNode> resources) {
        this(tenantId, pageSize, faults, subscriptions, resources, java.time.Duration.ZERO, false);
    }

    Estate(String tenantId, int pageSize, ObjectNode faults, List<Subscription> subscriptions,
            List<ObjectNode> resources, java.time.Duration latency, boolean armThrottling) {
        this.tenantId = tenantId;
        this.pageSize = pageSize;
        this.faults = faults;
        this.subscriptions = List.copyOf(subscriptions);
        this.resources = List.copyOf(resources);
        this.latency = latency;
        this.armThrottling = armThrottling;
    }

    /**
     * A generated estate for benchmarks: see {@link SyntheticEstate}. Deterministic for a given {@code seed}.
     */
    public static Estate synthetic(int subscriptions, int vmsPerSubscription, double nonCompliantFraction, long seed) {
        return SyntheticEstate.build(subscriptions, vmsPerSubscription, nonCompliantFraction, seed);
    }

    /** A copy whose emulator waits {@code perCall} before answering each ARM request (network + ARM latency). */
    public Estate withLatency(java.time.Duration perCall) {
        if (perCall == null || perCall.isNegative()) {
            throw new EstateException("latency: must be >= 0, was " + perCall);
        }
        return new Estate(tenantId, pageSize, faults, subscriptions, resources, perCall, armThrottling);
    }

    /** A copy whose emulator applies ARM's per-subscription token buckets ({@link ArmThrottle}): 429 + Retry-After. */
    public Estate withArmThrottling(boolean on) {
        return new Estate(tenantId, pageSize, faults, subscriptions, resources, latency, on);
    }

    public java.time.Duration latency() {
        return latency;
    }

    public boolean armThrottling() {
        return armThrottling;
    }

    public static Estate load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new EstateException(file + ": file not found");
        } catch (IOException e) {
            throw new EstateException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (EstateException e) {
            throw new EstateException(file + ": " + e.getMessage(), e);
        }
    }

    public static Estate parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EstateException("not valid JSON: " + e.getOriginalMessage() + " (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new EstateException("the estate must be a JSON object");
        }
        String tenantId = text(root, "tenantId", "tenantId", true);
        int pageSize = 2;
        if (root.has("pageSize")) {
            JsonNode p = root.get("pageSize");
            if (!p.isIntegralNumber() || p.asInt() < 1) {
                throw new EstateException("pageSize: must be an integer >= 1, was " + p);
            }
            pageSize = p.asInt();
        }
        ObjectNode faults = null;
        if (root.has("faults") && !root.get("faults").isNull()) {
            new FaultPlan().configure(root.get("faults"), "faults"); // validates
            faults = (ObjectNode) root.get("faults").deepCopy();
        }
        JsonNode subs = root.get("subscriptions");
        if (subs == null || !subs.isArray()) {
            throw new EstateException("subscriptions: must be an array");
        }
        List<Subscription> subscriptions = new ArrayList<>();
        List<ObjectNode> resources = new ArrayList<>();
        Set<String> subIds = new HashSet<>();
        Set<String> resourceIds = new HashSet<>();
        for (int i = 0; i < subs.size(); i++) {
            String where = "subscriptions[" + i + "]";
            JsonNode s = subs.get(i);
            if (!s.isObject()) {
                throw new EstateException(where + ": must be an object");
            }
            String subId = text(s, "subscriptionId", where + ": subscriptionId", true);
            if (!subIds.add(subId.toLowerCase(Locale.ROOT))) {
                throw new EstateException(where + ": subscriptionId " + subId + " appears twice");
            }
            String displayName = s.hasNonNull("displayName") ? s.get("displayName").asText() : subId;
            String state = s.hasNonNull("state") ? s.get("state").asText() : "Enabled";
            List<ResourceGroup> groups = new ArrayList<>();
            Map<String, ResourceGroup> byName = new LinkedHashMap<>();
            JsonNode rgs = s.get("resourceGroups");
            if (rgs != null && !rgs.isNull()) {
                if (!rgs.isArray()) {
                    throw new EstateException(where + ".resourceGroups: must be an array");
                }
                for (int j = 0; j < rgs.size(); j++) {
                    String rgWhere = where + ".resourceGroups[" + j + "]";
                    JsonNode rg = rgs.get(j);
                    if (!rg.isObject()) {
                        throw new EstateException(rgWhere + ": must be an object");
                    }
                    String name = text(rg, "name", rgWhere + ": name", true);
                    String location = text(rg, "location", rgWhere + ": location", true);
                    Map<String, String> tags = new LinkedHashMap<>();
                    JsonNode t = rg.get("tags");
                    if (t != null && !t.isNull()) {
                        if (!t.isObject()) {
                            throw new EstateException(rgWhere + ".tags: must be an object of strings");
                        }
                        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            if (!e.getValue().isTextual()) {
                                throw new EstateException(rgWhere + ".tags." + e.getKey() + ": must be a string");
                            }
                            tags.put(e.getKey(), e.getValue().asText());
                        }
                    }
                    if (byName.put(name.toLowerCase(Locale.ROOT), new ResourceGroup(name, location, tags)) != null) {
                        throw new EstateException(rgWhere + ": resource group " + name + " appears twice");
                    }
                    groups.add(new ResourceGroup(name, location, Map.copyOf(tags)));
                }
            }
            JsonNode res = s.get("resources");
            if (res != null && !res.isNull()) {
                if (!res.isArray()) {
                    throw new EstateException(where + ".resources: must be an array");
                }
                for (int j = 0; j < res.size(); j++) {
                    String rWhere = where + ".resources[" + j + "]";
                    ObjectNode r = checkResource(res.get(j), rWhere, subId, byName.keySet());
                    if (!resourceIds.add(ArmId.key(r.get("id").asText()))) {
                        throw new EstateException(rWhere + ": id " + r.get("id").asText() + " appears twice");
                    }
                    resources.add(r);
                }
            }
            subscriptions.add(new Subscription(subId, displayName, state, List.copyOf(groups)));
        }
        return new Estate(tenantId, pageSize, faults, subscriptions, resources);
    }

    private static ObjectNode checkResource(JsonNode node, String where, String subId, Set<String> rgNames) {
        if (node == null || !node.isObject()) {
            throw new EstateException(where + ": must be an object");
        }
        ObjectNode r = ((ObjectNode) node).deepCopy();
        if (!r.hasNonNull("id") || !r.get("id").isTextual() || r.get("id").asText().isBlank()) {
            throw new EstateException(where + ": id is missing");
        }
        String id = r.get("id").asText();
        ArmId parsed;
        try {
            parsed = ArmId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new EstateException(where + ": id '" + id + "' is not an ARM resource id: it " + e.getMessage());
        }
        if (!parsed.subscription().equalsIgnoreCase(subId)) {
            throw new EstateException(where + ": id '" + id + "' names subscription " + parsed.subscription()
                    + " but is listed under subscription " + subId);
        }
        if (parsed.resourceGroup() != null && !rgNames.contains(parsed.resourceGroup().toLowerCase(Locale.ROOT))) {
            throw new EstateException(where + ": id '" + id + "' names resource group " + parsed.resourceGroup()
                    + ", which is not in this subscription's resourceGroups");
        }
        String type = parsed.type();
        if (r.hasNonNull("type")) {
            if (!r.get("type").asText().equalsIgnoreCase(type)) {
                throw new EstateException(where + ": type '" + r.get("type").asText() + "' does not match the id, which says '"
                        + type + "'");
            }
        } else {
            r.put("type", type);
        }
        if (r.hasNonNull("name")) {
            if (!r.get("name").asText().equalsIgnoreCase(parsed.name())) {
                throw new EstateException(where + ": name '" + r.get("name").asText()
                        + "' does not match the id, which ends in '" + parsed.name() + "'");
            }
        } else {
            r.put("name", parsed.name());
        }
        if (r.has("properties") && !r.get("properties").isObject()) {
            throw new EstateException(where + ".properties: must be an object");
        }
        return r;
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw new EstateException(where + " is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new EstateException(where + ": must be a string");
        }
        return v.asText();
    }

    public String tenantId() {
        return tenantId;
    }

    public int pageSize() {
        return pageSize;
    }

    /** A copy with another page size (CLI override). */
    public Estate withPageSize(int size) {
        if (size < 1) {
            throw new EstateException("pageSize: must be >= 1, was " + size);
        }
        return new Estate(tenantId, size, faults, subscriptions, resources, latency, armThrottling);
    }

    /** The estate's {@code faults} object, or {@code null}. */
    public ObjectNode faults() {
        return faults == null ? null : faults.deepCopy();
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    /** Deep copies of every resource (with {@code type} and {@code name} filled in from the id when absent). */
    public List<ObjectNode> resources() {
        List<ObjectNode> out = new ArrayList<>(resources.size());
        resources.forEach(r -> out.add(r.deepCopy()));
        return out;
    }
}
