package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every attribute OCSF 1.8.0 marks {@code required} for a Compliance Finding (base_event, finding,
 * compliance_finding, and the objects used: metadata, product, finding_info, cloud), with its type
 * (facts.md §9, from ocsf/ocsf-schema tag 1.8.0).
 */
class OcsfReportTest {
    static final Map<String, Predicate<JsonNode>> REQUIRED = new LinkedHashMap<>();

    static {
        REQUIRED.put("/activity_id", JsonNode::isInt);
        REQUIRED.put("/category_uid", JsonNode::isInt);
        REQUIRED.put("/class_uid", JsonNode::isInt);
        REQUIRED.put("/severity_id", JsonNode::isInt);
        REQUIRED.put("/time", n -> n.isIntegralNumber() && n.asLong() > 0);
        REQUIRED.put("/type_uid", JsonNode::isIntegralNumber);
        REQUIRED.put("/metadata", JsonNode::isObject);
        REQUIRED.put("/metadata/version", n -> n.isTextual() && n.asText().matches("\\d+\\.\\d+\\.\\d+"));
        REQUIRED.put("/metadata/product", n -> n.isObject() && (n.path("name").isTextual()
                || n.path("uid").isTextual()));
        REQUIRED.put("/finding_info", JsonNode::isObject);
        REQUIRED.put("/finding_info/uid", JsonNode::isTextual);
        REQUIRED.put("/compliance", JsonNode::isObject);
        // the cloud profile, declared in metadata.profiles
        REQUIRED.put("/cloud/provider", JsonNode::isTextual);
    }

    @Test
    void everyEventHasEveryRequiredFieldOfTheClaimedVersionTypedRight() throws Exception {
        Report report = Fixtures.report(false);
        ArrayNode events = (ArrayNode) ReportJson.mapper().readTree(OcsfReport.write(report));
        assertThat(events).hasSize(report.vms().size() + 1);
        for (JsonNode e : events) {
            REQUIRED.forEach((pointer, type) -> assertThat(type.test(e.at(pointer)))
                    .as(pointer + " in " + e.path("finding_info").path("uid")).isTrue());
            assertThat(e.path("metadata").path("version").asText()).isEqualTo("1.8.0");
            assertThat(e.path("class_uid").asInt()).isEqualTo(2003);
            assertThat(e.path("category_uid").asInt()).isEqualTo(2);
            assertThat(e.path("type_uid").asLong()).isEqualTo(2003 * 100L + e.path("activity_id").asInt());
            assertThat(e.path("severity_id").asInt()).isIn(0, 1, 2, 3, 4, 5, 6, 99);
            assertThat(e.path("status_id").asInt()).isIn(1, 2, 3, 4, 5, 6);
            assertThat(e.path("compliance").path("status_id").asInt()).isIn(1, 2, 3);
            assertThat(e.path("metadata").path("profiles")).extracting(JsonNode::asText).contains("cloud");
        }
    }

    @Test
    void aVmFindingNamesItsResourceSubscriptionStatusAndChanges() throws Exception {
        Report report = Fixtures.report(false);
        JsonNode events = ReportJson.mapper().readTree(OcsfReport.write(report));
        JsonNode fixed = null;
        JsonNode wouldFix = null;
        for (JsonNode e : events) {
            if (e.path("resources").path(0).path("uid").asText().endsWith("/vm-fixed")) {
                fixed = e;
            }
            if (e.path("resources").path(0).path("uid").asText().endsWith("/vm-would-fix")) {
                wouldFix = e;
            }
        }
        assertThat(fixed.at("/resources/0/type").asText()).isEqualTo("Microsoft.Compute/virtualMachines");
        assertThat(fixed.at("/cloud/account/uid").asText()).isEqualTo(Fixtures.SUB);
        assertThat(fixed.at("/compliance/status").asText()).isEqualTo("Pass");
        assertThat(fixed.at("/unmapped/jitguard/changes/0").asText()).isEqualTo("add port 22");
        assertThat(wouldFix.at("/compliance/status").asText()).isEqualTo("Fail");
        assertThat(wouldFix.at("/severity_id").asInt()).isEqualTo(4);
        assertThat(wouldFix.at("/remediation/desc").asText()).contains("JIT policy");
        assertThat(wouldFix.at("/status_code").asText()).isEqualTo("would-fix");
        JsonNode excluded = null;
        for (JsonNode e : events) {
            if (e.path("resources").path(0).path("uid").asText().endsWith("/vm-excluded")) {
                excluded = e;
            }
        }
        assertThat(excluded.at("/status_detail").asText()).isEqualTo("excluded by " + Fixtures.HOSTILE_RULE
                + " until 2025-03-31: " + Fixtures.HOSTILE_REASON);
        assertThat(excluded.at("/unmapped/jitguard/exclusion/rule").asText()).isEqualTo(Fixtures.HOSTILE_RULE);
        assertThat(excluded.at("/unmapped/jitguard/exclusion/until").asText()).isEqualTo("2025-03-31");
        assertThat(excluded.at("/unmapped/jitguard/exclusion/reason").asText()).isEqualTo(Fixtures.HOSTILE_REASON);
        assertThat(excluded.at("/status").asText()).isEqualTo("Suppressed");
        assertThat(wouldFix.at("/unmapped/jitguard/notes/0").asText()).isEqualTo(Fixtures.EXPIRED_NOTE);
        assertThat(wouldFix.at("/unmapped/jitguard/exclusion/state").asText()).isEqualTo("exclusion-expired");
        assertThat(wouldFix.at("/unmapped/jitguard/exclusion/tagValue").asText()).isEqualTo("2024-12-31");
        assertThat(wouldFix.at("/status_detail").asText()).isEqualTo("because WOULD_FIX");
        JsonNode monitoring = events.get(events.size() - 1);
        assertThat(monitoring.at("/resources/0/type").asText()).isEqualTo("Microsoft.Authorization/policyAssignments");
        assertThat(monitoring.at("/unmapped/jitguard/changes/0").asText())
                .isEqualTo("jitNetworkAccessMonitoringEffect Disabled -> AuditIfNotExists");
    }
}
