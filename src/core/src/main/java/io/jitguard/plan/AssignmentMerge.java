package io.jitguard.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.evaluate.JitOverrides;
import io.jitguard.evaluate.MonitoringEffect;
import io.jitguard.evaluate.MonitoringForms;
import java.util.List;
import java.util.Optional;

/**
 * The {@code SecurityCenterBuiltIn} assignment write (GET and PUT at policy-assignment api-version 2025-03-01): a
 * deep copy of the assignment as read — display name, description, policy definition, {@code definitionVersion},
 * notScopes, metadata, enforcement mode, assignment type, resource selectors, non-compliance messages, every other
 * override, identity, location, every other parameter, unknown fields — with only the JIT audit switched back on:
 * <ul>
 * <li>MCSB v1 (or no definition id): {@code properties.parameters.jitNetworkAccessMonitoringEffect.value} set to
 * {@code AuditIfNotExists} when it does not audit (only its {@code value}; MCSB v2 declares no such parameter and
 * gets none);</li>
 * <li>every override that switches {@code jitNetworkAccessMonitoring} off, first to last
 * ({@link JitOverrides#exclude}): the reference id removed from its {@code in} (the override removed when it then
 * selects nothing), added to its {@code notIn}, or a selector {@code policyDefinitionReferenceId notIn
 * [jitNetworkAccessMonitoring]} given to an override without one;</li>
 * <li>the parameter only where it still decides: where no override applies, or when no override keeps the audit
 * on (an auditing override that applies everywhere wins over a {@code Disabled} parameter).</li>
 * </ul>
 * An assignment of any other definition is never written. Drops exactly what the 2025-03-01 spec marks read-only:
 * {@code id}, {@code name}, {@code type}, {@code systemData}, {@code properties.scope},
 * {@code properties.effectiveDefinitionVersion}, {@code properties.latestDefinitionVersion},
 * {@code properties.instanceId}, {@code identity.principalId}, {@code identity.tenantId} and
 * {@code principalId}/{@code clientId} of each {@code identity.userAssignedIdentities} entry.
 */
public final class AssignmentMerge {
    public static final List<String> READ_ONLY_TOP_LEVEL = List.of("id", "name", "type", "systemData");
    public static final List<String> READ_ONLY_PROPERTIES =
            List.of("scope", "effectiveDefinitionVersion", "latestDefinitionVersion", "instanceId");
    public static final List<String> READ_ONLY_IDENTITY = List.of("principalId", "tenantId");
    public static final List<String> READ_ONLY_USER_IDENTITY = List.of("principalId", "clientId");

    private AssignmentMerge() {
    }

    /** The value of {@code jitNetworkAccessMonitoringEffect}, or null when the parameter (or its value) is absent. */
    public static String effectOf(JsonNode assignment) {
        if (assignment == null) {
            return null;
        }
        JsonNode v = assignment.path("properties").path("parameters").path(MonitoringEffect.PARAMETER).path("value");
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /**
     * @return empty when the JIT audit is on (or the initiative is not recognized); else the body to PUT
     * @throws UnmergeableDocumentException when the assignment is not a JSON object or its properties/parameters are not
     *                                  objects
     */
    public static Optional<ObjectNode> merge(JsonNode assignment) {
        if (assignment == null || !assignment.isObject()) {
            throw new UnmergeableDocumentException("assignment is not a JSON object");
        }
        MonitoringForms.Initiative initiative = MonitoringForms.initiative(assignment);
        if (initiative == MonitoringForms.Initiative.OTHER) {
            return Optional.empty();
        }
        String fallback = MonitoringForms.fallback(initiative, effectOf(assignment));
        if (JitOverrides.drift(assignment.path("properties"), fallback) == null) {
            return Optional.empty();
        }
        ObjectNode doc = assignment.deepCopy();
        READ_ONLY_TOP_LEVEL.forEach(doc::remove);
        ObjectNode props = object(doc, "properties");
        READ_ONLY_PROPERTIES.forEach(props::remove);
        stripIdentity(doc.get("identity"));
        JitOverrides.exclude(props, fallback);
        if (JitOverrides.drift(props, fallback) != null) {
            ObjectNode params = object(props, "parameters");
            JsonNode param = params.get(MonitoringEffect.PARAMETER);
            ObjectNode target = param != null && param.isObject() ? (ObjectNode) param
                    : params.putObject(MonitoringEffect.PARAMETER);
            target.put("value", MonitoringEffect.AUDIT_IF_NOT_EXISTS);
        }
        return Optional.of(doc);
    }

    private static void stripIdentity(JsonNode identity) {
        if (identity == null || !identity.isObject()) {
            return;
        }
        READ_ONLY_IDENTITY.forEach(((ObjectNode) identity)::remove);
        JsonNode users = identity.get("userAssignedIdentities");
        if (users != null && users.isObject()) {
            users.forEach(u -> {
                if (u.isObject()) {
                    READ_ONLY_USER_IDENTITY.forEach(((ObjectNode) u)::remove);
                }
            });
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return parent.putObject(field);
        }
        if (!node.isObject()) {
            throw new UnmergeableDocumentException(field + " of the assignment is not a JSON object");
        }
        return (ObjectNode) node;
    }
}
