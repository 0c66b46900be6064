package io.jitguard.emulator;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Policy assignments ({@code Microsoft.Authorization/policyAssignments}): PUT validation the way Azure Policy does it
 * and the api-version dependent response shape.
 *
 * <p>Validation: {@code properties.policyDefinitionId} required, {@code parameters} a map of {@code {value}} objects,
 * the allowed values of the Defender initiative's {@code jitNetworkAccessMonitoringEffect}; from api-version
 * {@link #MODERN 2023-04-01} on also the shapes of {@code overrides}, {@code resourceSelectors}, {@code notScopes} and
 * {@code enforcementMode} (2025-03-01 spec), with the assignment structure docs' limits: at most 10 overrides and 10
 * resource selectors, selector kinds per use ({@code policyEffect} overrides: {@code policyDefinitionReferenceId},
 * {@code resourceLocation}; resource selectors: {@code resourceLocation}, {@code resourceType},
 * {@code resourceWithoutLocation}, each once, location and without-location not together), {@code in} or
 * {@code notIn} (one, not both) of at most 50 values. Read-only fields in a PUT body ({@code scope}, {@code instanceId},
 * {@code latestDefinitionVersion}, {@code effectiveDefinitionVersion}, {@code identity.principalId/tenantId},
 * {@code id/name/type/systemData}) are ignored, as ARM ignores them.
 *
 * <p>Responses at 2023-04-01 and later carry {@code scope}, {@code instanceId}, {@code definitionVersion} (stamped
 * {@code "1.*.*"} when the assignment has none), {@code identity.principalId/tenantId} for a system-assigned identity
 * and {@code systemData}; {@code latestDefinitionVersion} / {@code effectiveDefinitionVersion} only when asked for
 * with {@code $expand}. Older api-versions (jitguard's 2022-06-01) answer the stored shape without the versions.
 */
final class PolicyAssignmentValidator {
    /** The first api-version with {@code definitionVersion}; everything at or after it gets the current shape. */
    static final String MODERN = "2023-04-01";
    private static final Set<String> MONITORING_EFFECTS = Set.of("AuditIfNotExists", "Disabled");
    private static final Set<String> OVERRIDE_KINDS = Set.of("policyEffect", "definitionVersion");
    /** Selector kinds per use, from the assignment structure docs. */
    private static final Set<String> EFFECT_SELECTOR_KINDS = Set.of("policyDefinitionReferenceId", "resourceLocation");
    private static final Set<String> VERSION_SELECTOR_KINDS = Set.of("resourceLocation");
    private static final Set<String> RESOURCE_SELECTOR_KINDS = Set.of("resourceLocation", "resourceType",
            "resourceWithoutLocation");
    /** Up to 10 overrides, 10 resource selectors, 50 values in a selector's in or notIn. */
    static final int MAX_OVERRIDES = 10;
    static final int MAX_RESOURCE_SELECTORS = 10;
    static final int MAX_SELECTOR_VALUES = 50;
    private static final Set<String> ENFORCEMENT = Set.of("Default", "DoNotEnforce", "Enroll");
    private static final Set<String> IDENTITY_TYPES = Set.of("SystemAssigned", "UserAssigned", "None");
    private static final Set<String> READ_ONLY_PROPERTIES = Set.of("scope", "instanceId", "latestDefinitionVersion",
            "effectiveDefinitionVersion");

    private PolicyAssignmentValidator() {
    }

    static boolean modern(String apiVersion) {
        return apiVersion != null && apiVersion.compareTo(MODERN) >= 0;
    }

    /** Throws an {@link ArmHttp.ArmError} naming the first problem; returns {@code properties}. */
    static ObjectNode validate(ObjectNode body) {
        return validate(body, false);
    }

    static ObjectNode validate(ObjectNode body, boolean modern) {
        JsonNode props = body.get("properties");
        if (props == null || !props.isObject()) {
            throw invalid("properties is required and must be an object.");
        }
        JsonNode def = props.get("policyDefinitionId");
        if (def == null || !def.isTextual() || def.asText().isBlank()) {
            throw invalid("properties.policyDefinitionId is required.");
        }
        JsonNode params = props.get("parameters");
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw new ArmHttp.ArmError(400, "InvalidPolicyParameters", "properties.parameters must be an object.");
            }
            for (var it = params.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isObject() || !e.getValue().has("value")) {
                    throw new ArmHttp.ArmError(400, "InvalidPolicyParameters", "properties.parameters." + e.getKey()
                            + " must be an object with a 'value'.");
                }
                if (e.getKey().equals("jitNetworkAccessMonitoringEffect")) {
                    JsonNode v = e.getValue().get("value");
                    if (!v.isTextual() || !MONITORING_EFFECTS.contains(v.asText())) {
                        throw new ArmHttp.ArmError(400, "InvalidPolicyParameters",
                                "properties.parameters.jitNetworkAccessMonitoringEffect: value " + v
                                        + " is not allowed; allowed values are AuditIfNotExists, Disabled.");
                    }
                }
            }
        }
        if (modern) {
            checkOverrides(props.get("overrides"));
            checkResourceSelectors(props.get("resourceSelectors"), "properties.resourceSelectors");
            JsonNode notScopes = props.get("notScopes");
            if (notScopes != null && !notScopes.isNull() && !stringArray(notScopes)) {
                throw invalid("properties.notScopes must be an array of strings.");
            }
            JsonNode mode = props.get("enforcementMode");
            if (mode != null && !mode.isNull() && (!mode.isTextual() || !ENFORCEMENT.contains(mode.asText()))) {
                throw invalid("properties.enforcementMode must be one of Default, DoNotEnforce, Enroll; was " + mode + ".");
            }
            JsonNode identity = body.get("identity");
            if (identity != null && !identity.isNull()) {
                JsonNode type = identity.get("type");
                if (!identity.isObject() || type == null || !type.isTextual() || !IDENTITY_TYPES.contains(type.asText())) {
                    throw invalid("identity.type must be one of SystemAssigned, UserAssigned, None.");
                }
            }
        }
        return (ObjectNode) props;
    }

    private static void checkOverrides(JsonNode overrides) {
        if (overrides == null || overrides.isNull()) {
            return;
        }
        if (!overrides.isArray()) {
            throw invalid("properties.overrides must be an array.");
        }
        if (overrides.size() > MAX_OVERRIDES) {
            throw invalid("properties.overrides holds " + overrides.size() + " overrides; at most " + MAX_OVERRIDES
                    + " are allowed.");
        }
        for (int i = 0; i < overrides.size(); i++) {
            String where = "properties.overrides[" + i + "]";
            JsonNode o = overrides.get(i);
            if (!o.isObject()) {
                throw invalid(where + " must be an object.");
            }
            JsonNode kind = o.get("kind");
            if (kind == null || !kind.isTextual() || !OVERRIDE_KINDS.contains(kind.asText())) {
                throw invalid(where + ".kind must be one of policyEffect, definitionVersion; was " + kind + ".");
            }
            JsonNode value = o.get("value");
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw invalid(where + ".value must be a non-empty string.");
            }
            checkSelectors(o.get("selectors"), where + ".selectors",
                    kind.asText().equals("policyEffect") ? EFFECT_SELECTOR_KINDS : VERSION_SELECTOR_KINDS);
        }
    }

    private static void checkResourceSelectors(JsonNode selectors, String where) {
        if (selectors == null || selectors.isNull()) {
            return;
        }
        if (!selectors.isArray()) {
            throw invalid(where + " must be an array.");
        }
        if (selectors.size() > MAX_RESOURCE_SELECTORS) {
            throw invalid(where + " holds " + selectors.size() + " resource selectors; at most "
                    + MAX_RESOURCE_SELECTORS + " are allowed.");
        }
        for (int i = 0; i < selectors.size(); i++) {
            JsonNode s = selectors.get(i);
            if (!s.isObject() || (s.has("name") && !s.get("name").isTextual())) {
                throw invalid(where + "[" + i + "] must be an object with a string name.");
            }
            String at = where + "[" + i + "].selectors";
            checkSelectors(s.get("selectors"), at, RESOURCE_SELECTOR_KINDS);
            Set<String> kinds = new java.util.HashSet<>();
            for (JsonNode sel : s.path("selectors")) {
                if (!kinds.add(sel.path("kind").asText())) {
                    throw invalid(at + ": kind " + sel.path("kind").asText() + " is used more than once.");
                }
            }
            if (kinds.contains("resourceLocation") && kinds.contains("resourceWithoutLocation")) {
                throw invalid(at + ": resourceLocation can't be used with resourceWithoutLocation.");
            }
        }
    }

    private static void checkSelectors(JsonNode selectors, String where, Set<String> allowedKinds) {
        if (selectors == null || selectors.isNull()) {
            return;
        }
        if (!selectors.isArray()) {
            throw invalid(where + " must be an array.");
        }
        for (int i = 0; i < selectors.size(); i++) {
            JsonNode s = selectors.get(i);
            String at = where + "[" + i + "]";
            if (!s.isObject()) {
                throw invalid(at + " must be an object.");
            }
            JsonNode kind = s.get("kind");
            if (kind == null || !kind.isTextual() || !allowedKinds.contains(kind.asText())) {
                throw invalid(at + ".kind must be one of " + String.join(", ", allowedKinds.stream().sorted().toList())
                        + "; was " + kind + ".");
            }
            for (String f : new String[] {"in", "notIn"}) {
                JsonNode v = s.get(f);
                if (v != null && !v.isNull() && !stringArray(v)) {
                    throw invalid(at + "." + f + " must be an array of strings.");
                }
                if (v != null && v.size() > MAX_SELECTOR_VALUES) {
                    throw invalid(at + "." + f + " holds " + v.size() + " values; at most " + MAX_SELECTOR_VALUES
                            + " are allowed.");
                }
            }
            boolean in = s.hasNonNull("in");
            boolean notIn = s.hasNonNull("notIn");
            if (in && notIn) {
                throw invalid(at + ": in can't be used with notIn.");
            }
            if (!in && !notIn) {
                throw invalid(at + ": one of in or notIn is required.");
            }
        }
    }

    private static boolean stringArray(JsonNode n) {
        if (!n.isArray()) {
            return false;
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static ArmHttp.ArmError invalid(String message) {
        return new ArmHttp.ArmError(400, "InvalidRequestContent", message);
    }

    /**
     * The node to store for a PUT at a current api-version: the writable fields of {@code body}, the server-set ones
     * ({@code instanceId}, identity ids, {@code systemData}) kept from {@code existing} or created.
     */
    static ObjectNode storedModern(ObjectNode body, ObjectNode props, ObjectNode existing, String id, String name,
            String tenantId, String caller) {
        ObjectNode stored = ArmHttp.NODES.objectNode();
        stored.put("id", existing != null ? existing.get("id").asText() : id);
        stored.put("name", existing != null ? existing.path("name").asText(name) : name);
        stored.put("type", ArmEmulator.ASSIGNMENT_TYPE);
        if (body.has("location")) {
            stored.set("location", body.get("location").deepCopy());
        }
        ObjectNode p = props.deepCopy();
        READ_ONLY_PROPERTIES.forEach(p::remove);
        JsonNode oldProps = existing == null ? null : existing.path("properties");
        String instanceId = existing == null ? UUID.randomUUID().toString()
                : oldProps.hasNonNull("instanceId") ? oldProps.get("instanceId").asText() : derived("", existing);
        p.put("instanceId", instanceId);
        for (String keep : new String[] {"latestDefinitionVersion", "effectiveDefinitionVersion"}) {
            if (oldProps != null && oldProps.hasNonNull(keep)) {
                p.set(keep, oldProps.get(keep).deepCopy());
            }
        }
        if (!p.hasNonNull("definitionVersion")) {
            String latest = oldProps != null && oldProps.hasNonNull("latestDefinitionVersion")
                    ? oldProps.get("latestDefinitionVersion").asText() : "1.0.0";
            p.put("definitionVersion", latest.split("\\.")[0] + ".*.*");
        }
        if (body.hasNonNull("identity")) {
            ObjectNode identity = ((ObjectNode) body.get("identity")).deepCopy();
            identity.remove("principalId");
            identity.remove("tenantId");
            if (identity.path("type").asText().equals("SystemAssigned")) {
                JsonNode old = existing == null ? null : existing.get("identity");
                identity.put("principalId", old != null && old.hasNonNull("principalId") ? old.get("principalId").asText()
                        : existing != null ? derived("principal:", existing) : UUID.randomUUID().toString());
                identity.put("tenantId", tenantId);
            }
            stored.set("identity", identity);
        }
        stored.set("properties", p);
        String now = Instant.now().toString();
        ObjectNode sd = stored.putObject("systemData");
        JsonNode oldSd = existing == null ? null : existing.get("systemData");
        sd.put("createdBy", oldSd != null && oldSd.hasNonNull("createdBy") ? oldSd.get("createdBy").asText() : caller);
        sd.put("createdByType", "Application");
        sd.put("createdAt", oldSd != null && oldSd.hasNonNull("createdAt") ? oldSd.get("createdAt").asText() : now);
        sd.put("lastModifiedBy", caller);
        sd.put("lastModifiedByType", "Application");
        sd.put("lastModifiedAt", now);
        return stored;
    }

    /** The response for {@code stored} at {@code apiVersion} with the {@code $expand} value (may be null). */
    static ObjectNode render(ObjectNode stored, String apiVersion, String expand, String tenantId) {
        ObjectNode out = stored.deepCopy();
        ObjectNode p = out.with("properties");
        String exp = expand == null ? "" : expand.toLowerCase(java.util.Locale.ROOT);
        String latest = p.path("latestDefinitionVersion").asText("1.0.0");
        String effective = p.path("effectiveDefinitionVersion").asText(latest);
        p.remove("latestDefinitionVersion");
        p.remove("effectiveDefinitionVersion");
        if (!modern(apiVersion)) {
            p.remove("definitionVersion"); // not in the 2022-06-01 contract
            return out;
        }
        String id = out.path("id").asText();
        ArmId parsed = ArmId.parse(id);
        p.put("scope", "/subscriptions/" + parsed.subscription()
                + (parsed.resourceGroup() == null ? "" : "/resourceGroups/" + parsed.resourceGroup()));
        if (!p.hasNonNull("instanceId")) {
            p.put("instanceId", derived("", stored));
        }
        if (!p.hasNonNull("definitionVersion")) {
            p.put("definitionVersion", latest.split("\\.")[0] + ".*.*");
        }
        for (String f : new String[] {"notScopes", "overrides", "resourceSelectors"}) {
            if (!p.has(f)) {
                p.putArray(f);
            }
        }
        if (!p.has("enforcementMode")) {
            p.put("enforcementMode", "Default");
        }
        if (exp.contains("latestdefinitionversion")) {
            p.put("latestDefinitionVersion", latest);
        }
        if (exp.contains("effectivedefinitionversion")) {
            p.put("effectiveDefinitionVersion", effective);
        }
        JsonNode identity = out.get("identity");
        if (identity instanceof ObjectNode idn && idn.path("type").asText().equals("SystemAssigned")) {
            if (!idn.hasNonNull("principalId")) {
                idn.put("principalId", derived("principal:", stored));
            }
            if (!idn.hasNonNull("tenantId")) {
                idn.put("tenantId", tenantId);
            }
        }
        if (!out.has("systemData")) {
            ObjectNode sd = out.putObject("systemData");
            sd.put("createdBy", "estate");
            sd.put("createdByType", "Application");
            sd.put("createdAt", "2024-01-01T00:00:00Z");
            sd.put("lastModifiedBy", "estate");
            sd.put("lastModifiedByType", "Application");
            sd.put("lastModifiedAt", "2024-01-01T00:00:00Z");
        }
        return out;
    }

    /** A stable id for an estate assignment that has none stored (same on every GET, kept by the next PUT). */
    private static String derived(String prefix, ObjectNode stored) {
        return UUID.nameUUIDFromBytes((prefix + ArmId.key(stored.path("id").asText()))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
