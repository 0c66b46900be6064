package io.jitguard.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
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
    public record Subscription(String subscriptionId, String displayName, String state, List<ResourceGroup> resourceGroups,
            List<String> unregisteredProviders) {
        public Subscription(String subscriptionId, String displayName, String state, List<ResourceGroup> resourceGroups) {
            this(subscriptionId, displayName, state, resourceGroups, List.of());
        }
    }

    /** A resource group; tags as given; {@code managedBy} the id of the resource managing it, or {@code null}. */
    public record ResourceGroup(String name, String location, Map<String, String> tags, String managedBy) {
        public ResourceGroup(String name, String location, Map<String, String> tags) {
            this(name, location, tags, null);
        }
    }

    private final String tenantId;
    private final int pageSize;
    private final ObjectNode faults;
    private final List<Subscription> subscriptions;
    private final List<ObjectNode> resources;
    private final Set<String> omittedFromSubscriptionList;
    private final Duration latency;
    private final boolean armThrottling;

    private Estate(String tenantId, int pageSize, ObjectNode faults, List<Subscription> subscriptions,
            List<ObjectNode> resources, Set<String> omittedFromSubscriptionList, Duration latency, boolean armThrottling) {
        this.tenantId = tenantId;
        this.pageSize = pageSize;
        this.faults = faults;
        this.subscriptions = List.copyOf(subscriptions);
        this.resources = List.copyOf(resources);
        this.omittedFromSubscriptionList = Set.copyOf(omittedFromSubscriptionList);
        this.latency = latency;
        this.armThrottling = armThrottling;
    }

    /** For {@link SyntheticEstate}: resources already valid and owned by the estate. */
    static Estate of(String tenantId, int pageSize, List<Subscription> subscriptions, List<ObjectNode> resources) {
        return new Estate(tenantId, pageSize, null, subscriptions, resources, Set.of(), Duration.ZERO, false);
    }

    /**
     * A generated estate for benchmarks: {@code subscriptions} subscriptions of {@code vmsPerSubscription} VMs each,
     * spread over several resource groups and two locations, every VM with a NIC on a subnet whose NSG is set, Defender
     * for Servers Plan 2 and a compliant Defender assignment; the VMs not picked as non-compliant (a seeded
     * {@code nonCompliantFraction} of them) are covered by the resource group's {@code default} JIT policy. See
     * {@link SyntheticEstate}.
     */
    public static Estate synthetic(int subscriptions, int vmsPerSubscription, double nonCompliantFraction, long seed) {
        return SyntheticEstate.generate(subscriptions, vmsPerSubscription, nonCompliantFraction, seed);
    }

    /**
     * {@link #synthetic} in the wide shape: ten resource groups per subscription, each with VMs in two locations, so
     * twenty JIT policies (one per resource group + location) per subscription.
     */
    public static Estate syntheticWide(int subscriptions, int vmsPerSubscription, double nonCompliantFraction,
                                       long seed) {
        return SyntheticEstate.generate(subscriptions, vmsPerSubscription, nonCompliantFraction, seed,
                SyntheticEstate.WIDE);
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
        Set<String> omitted = new HashSet<>();
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
                    String managedBy = text(rg, "managedBy", rgWhere + ".managedBy", false);
                    if (byName.put(name.toLowerCase(Locale.ROOT), new ResourceGroup(name, location, tags)) != null) {
                        throw new EstateException(rgWhere + ": resource group " + name + " appears twice");
                    }
                    groups.add(new ResourceGroup(name, location, Map.copyOf(tags), managedBy));
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
                    JsonNode omit = r.remove("omitFromSubscriptionList");
                    if (omit != null && !omit.isNull()) {
                        if (!omit.isBoolean()) {
                            throw new EstateException(rWhere + ".omitFromSubscriptionList: must be true or false");
                        }
                        if (!r.get("type").asText().equalsIgnoreCase("Microsoft.Security/locations/jitNetworkAccessPolicies")) {
                            throw new EstateException(rWhere + ".omitFromSubscriptionList: only a JIT policy can be omitted");
                        }
                        if (omit.asBoolean()) {
                            omitted.add(ArmId.key(r.get("id").asText()));
                        }
                    }
                    if (!resourceIds.add(ArmId.key(r.get("id").asText()))) {
                        throw new EstateException(rWhere + ": id " + r.get("id").asText() + " appears twice");
                    }
                    resources.add(r);
                }
            }
            List<String> unregistered = new ArrayList<>();
            JsonNode un = s.get("unregisteredProviders");
            if (un != null && !un.isNull()) {
                if (!un.isArray()) {
                    throw new EstateException(where + ".unregisteredProviders: must be an array of namespaces");
                }
                for (int j = 0; j < un.size(); j++) {
                    if (!un.get(j).isTextual() || un.get(j).asText().isBlank()) {
                        throw new EstateException(where + ".unregisteredProviders[" + j + "]: must be a namespace such as Microsoft.Security");
                    }
                    unregistered.add(un.get(j).asText());
                }
            }
            subscriptions.add(new Subscription(subId, displayName, state, List.copyOf(groups), List.copyOf(unregistered)));
        }
        return new Estate(tenantId, pageSize, faults, subscriptions, resources, omitted, Duration.ZERO, false);
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
        if (type.equalsIgnoreCase("Microsoft.Authorization/policyExemptions")) {
            checkExemption(r.path("properties"), where + ".properties");
        }
        return r;
    }

    private static void checkExemption(JsonNode p, String where) {
        if (!p.path("policyAssignmentId").isTextual() || p.get("policyAssignmentId").asText().isBlank()) {
            throw new EstateException(where + ".policyAssignmentId is missing");
        }
        String category = p.path("exemptionCategory").asText("");
        if (!category.equals("Waiver") && !category.equals("Mitigated")) {
            throw new EstateException(where + ".exemptionCategory: must be Waiver or Mitigated, was '" + category + "'");
        }
        JsonNode expires = p.get("expiresOn");
        if (expires != null && !expires.isNull()) {
            try {
                java.time.OffsetDateTime.parse(expires.asText());
            } catch (java.time.format.DateTimeParseException e) {
                throw new EstateException(where + ".expiresOn: '" + expires.asText()
                        + "' is not an ISO-8601 date-time such as 2026-01-31T00:00:00Z");
            }
        }
        JsonNode refs = p.get("policyDefinitionReferenceIds");
        if (refs != null && !refs.isNull() && !refs.isArray()) {
            throw new EstateException(where + ".policyDefinitionReferenceIds: must be an array of strings");
        }
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
        return new Estate(tenantId, size, faults, subscriptions, resources, omittedFromSubscriptionList, latency,
                armThrottling);
    }

    /** A copy that adds {@code perCall} of latency to every ARM request (benchmarks). */
    public Estate withLatency(Duration perCall) {
        if (perCall == null || perCall.isNegative()) {
            throw new EstateException("latency: must be >= 0, was " + perCall);
        }
        return new Estate(tenantId, pageSize, faults, subscriptions, resources, omittedFromSubscriptionList, perCall,
                armThrottling);
    }

    /**
     * A copy with ARM's per-subscription token buckets on or off: reads 250 capacity refilled 25/s, writes 200
     * refilled 10/s; an empty bucket answers 429 with {@code Retry-After}.
     */
    public Estate withArmThrottling(boolean enabled) {
        return new Estate(tenantId, pageSize, faults, subscriptions, resources, omittedFromSubscriptionList, latency,
                enabled);
    }

    public Duration latency() {
        return latency;
    }

    public boolean armThrottling() {
        return armThrottling;
    }

    /** Lower-cased ids of the JIT policies the subscription-scope JIT lists leave out. */
    Set<String> omittedFromSubscriptionList() {
        return omittedFromSubscriptionList;
    }

    /** The estate's {@code faults} object, or {@code null}. */
    public ObjectNode faults() {
        return faults == null ? null : faults.deepCopy();
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    /** The stored resources themselves, for the emulator's store (which never changes a stored node). */
    void forEachResource(java.util.function.Consumer<ObjectNode> each) {
        resources.forEach(each);
    }

    /** Deep copies of every resource (with {@code type} and {@code name} filled in from the id when absent). */
    public List<ObjectNode> resources() {
        List<ObjectNode> out = new ArrayList<>();
        resources.forEach(r -> out.add(r.deepCopy()));
        return out;
    }
}
