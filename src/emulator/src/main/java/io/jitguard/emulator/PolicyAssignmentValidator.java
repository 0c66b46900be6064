package io.jitguard.emulator;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Validates a policy assignment PUT ({@code Microsoft.Authorization/policyAssignments}) the way Azure Policy does:
 * {@code properties.policyDefinitionId} required, {@code parameters} a map of {@code {value}} objects, and the allowed
 * values of the Defender initiative's {@code jitNetworkAccessMonitoringEffect}.
 */
final class PolicyAssignmentValidator {
    private static final Set<String> MONITORING_EFFECTS = Set.of("AuditIfNotExists", "Disabled");

    private PolicyAssignmentValidator() {
    }

    /** Throws an {@link ArmHttp.ArmError} naming the first problem; returns {@code properties}. */
    static ObjectNode validate(ObjectNode body) {
        JsonNode props = body.get("properties");
        if (props == null || !props.isObject()) {
            throw new ArmHttp.ArmError(400, "InvalidRequestContent", "properties is required and must be an object.");
        }
        JsonNode def = props.get("policyDefinitionId");
        if (def == null || !def.isTextual() || def.asText().isBlank()) {
            throw new ArmHttp.ArmError(400, "InvalidRequestContent", "properties.policyDefinitionId is required.");
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
        return (ObjectNode) props;
    }
}
