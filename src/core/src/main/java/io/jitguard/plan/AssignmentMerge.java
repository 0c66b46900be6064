package io.jitguard.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.evaluate.MonitoringEffect;
import java.util.List;
import java.util.Optional;

/**
 * The {@code SecurityCenterBuiltIn} assignment write: a deep copy of the assignment as read (display name,
 * description, policy definition, notScopes, metadata, enforcement mode, identity, location, every other parameter,
 * unknown fields) with only {@code properties.parameters.jitNetworkAccessMonitoringEffect} set to
 * {@code {"value":"AuditIfNotExists"}} (only its {@code value} is set, should the parameter object carry anything
 * else). Drops only the read-only {@code id}, {@code name}, {@code type},
 * {@code systemData}.
 */
public final class AssignmentMerge {
    public static final List<String> READ_ONLY_TOP_LEVEL = List.of("id", "name", "type", "systemData");

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
     * @return empty when the effect already audits; else the body to PUT
     * @throws UnmergeableDocumentException when the assignment is not a JSON object or its properties/parameters are not
     *                                  objects
     */
    public static Optional<ObjectNode> merge(JsonNode assignment) {
        if (assignment == null || !assignment.isObject()) {
            throw new UnmergeableDocumentException("assignment is not a JSON object");
        }
        if (MonitoringEffect.audits(effectOf(assignment))) {
            return Optional.empty();
        }
        ObjectNode doc = assignment.deepCopy();
        READ_ONLY_TOP_LEVEL.forEach(doc::remove);
        ObjectNode props = object(doc, "properties");
        ObjectNode params = object(props, "parameters");
        JsonNode param = params.get(MonitoringEffect.PARAMETER);
        ObjectNode target = param != null && param.isObject() ? (ObjectNode) param
                : params.putObject(MonitoringEffect.PARAMETER);
        target.put("value", MonitoringEffect.AUDIT_IF_NOT_EXISTS);
        return Optional.of(doc);
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
