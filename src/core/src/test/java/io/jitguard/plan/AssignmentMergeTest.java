package io.jitguard.plan;

import static io.jitguard.World.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AssignmentMergeTest {
    private static final String DISABLED = """
            {
              "id": "/subscriptions/s/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn",
              "name": "SecurityCenterBuiltIn",
              "type": "Microsoft.Authorization/policyAssignments",
              "systemData": {"createdBy": "x"},
              "location": "westeurope",
              "identity": {"type": "SystemAssigned", "principalId": "p", "tenantId": "t"},
              "futureField": [1],
              "properties": {
                "displayName": "ASC Default (subscription: s)",
                "description": "d",
                "policyDefinitionId": "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
                "scope": "/subscriptions/s",
                "notScopes": ["/subscriptions/s/resourceGroups/legacy"],
                "metadata": {"assignedBy": "Security Center", "createdOn": "2020-01-01"},
                "enforcementMode": "DoNotEnforce",
                "nonComplianceMessages": [{"message": "m"}],
                "parameters": {
                  "jitNetworkAccessMonitoringEffect": {"value": "Disabled"},
                  "systemUpdatesMonitoringEffect": {"value": "Disabled"},
                  "someArray": {"value": ["a", "b"]}
                }
              }
            }
            """;

    @Test
    void setsOnlyTheOneParameterAndKeepsEverythingElse() {
        JsonNode read = parse(DISABLED);
        JsonNode before = read.deepCopy();
        ObjectNode body = AssignmentMerge.merge(read).orElseThrow();
        assertThat(read).isEqualTo(before);

        ObjectNode expected = (ObjectNode) before.deepCopy();
        expected.remove(java.util.List.of("id", "name", "type", "systemData"));
        // Issue 9: the 2025-03-01 read-only fields go too (properties.scope, identity.principalId/tenantId).
        ((ObjectNode) expected.get("properties")).remove("scope");
        ((ObjectNode) expected.get("identity")).remove(java.util.List.of("principalId", "tenantId"));
        ((ObjectNode) expected.at("/properties/parameters/jitNetworkAccessMonitoringEffect"))
                .put("value", "AuditIfNotExists");
        assertThat(body).isEqualTo(expected);
        assertThat(body.at("/properties/parameters/systemUpdatesMonitoringEffect/value").asText())
                .isEqualTo("Disabled");
        assertThat(body.at("/identity/type").asText()).isEqualTo("SystemAssigned");
        assertThat(body.has("identity") && !body.get("identity").has("principalId")).isTrue();
    }

    @Test
    void compliantAssignmentsNeedNoWrite() {
        assertThat(AssignmentMerge.merge(parse("{\"properties\":{\"parameters\":{}}}"))).isEmpty();
        assertThat(AssignmentMerge.merge(parse("{\"properties\":{}}"))).isEmpty();
        assertThat(AssignmentMerge.merge(parse(
                "{\"properties\":{\"parameters\":{\"jitNetworkAccessMonitoringEffect\":{\"value\":\"auditifnotexists\"}}}}")))
                .isEmpty();
        assertThat(AssignmentMerge.merge(parse(
                "{\"properties\":{\"parameters\":{\"jitNetworkAccessMonitoringEffect\":{\"value\":\"Audit\"}}}}")))
                .isEmpty();
    }

    @Test
    void effectOf() {
        assertThat(AssignmentMerge.effectOf(parse(DISABLED))).isEqualTo("Disabled");
        assertThat(AssignmentMerge.effectOf(parse("{\"properties\":{\"parameters\":{}}}"))).isNull();
        assertThat(AssignmentMerge.effectOf(parse("{}"))).isNull();
        assertThat(AssignmentMerge.effectOf(null)).isNull();
    }

    @Test
    void mergedAssignmentIsCompliant() {
        ObjectNode body = AssignmentMerge.merge(parse(DISABLED)).orElseThrow();
        assertThat(AssignmentMerge.effectOf(body)).isEqualTo("AuditIfNotExists");
        assertThat(AssignmentMerge.merge(body)).isEmpty();
    }

    @Test
    void anyNonAuditingValueIsFixed() {
        assertThat(AssignmentMerge.merge(parse(
                "{\"properties\":{\"parameters\":{\"jitNetworkAccessMonitoringEffect\":{\"value\":\"Deny\"}}}}")))
                .isPresent();
    }

    @Test
    void onlyTheValueOfTheParameterIsSet() {
        ObjectNode body = AssignmentMerge.merge(parse(
                "{\"properties\":{\"parameters\":{\"jitNetworkAccessMonitoringEffect\":{\"value\":\"Disabled\",\"x\":1}}}}"))
                .orElseThrow();
        assertThat(body).isEqualTo(parse(
                "{\"properties\":{\"parameters\":{\"jitNetworkAccessMonitoringEffect\":{\"value\":\"AuditIfNotExists\",\"x\":1}}}}"));
    }

    @Test
    void notAnObjectIsRefused() {
        assertThatThrownBy(() -> AssignmentMerge.merge(parse("[]"))).isInstanceOf(IllegalArgumentException.class);
    }
}
