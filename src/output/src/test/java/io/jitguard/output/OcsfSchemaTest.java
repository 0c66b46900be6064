package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.report.Exposure;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every event jitguard emits, checked against the OCSF 1.8.0 Compliance Finding class read from the schema's files. */
class OcsfSchemaTest {
    static final OcsfSchema SCHEMA = new OcsfSchema("events/findings/compliance_finding.json");

    static List<Report> reports() {
        List<Report> reports = new ArrayList<>(List.of(Fixtures.report(true), Fixtures.report(false)));
        Report r = Fixtures.report(false);
        List<VmReport> exposed = new ArrayList<>();
        for (VmReport vm : r.vms()) {
            for (String severity : List.of("HIGH", "MEDIUM")) {
                exposed.add(vm.withExposure(new Exposure(List.of(new Exposure.Port("open", 22, "/nsg/n", "allow",
                        100, "Internet", severity)), List.of("port 3389 open for an approved request"))));
            }
        }
        reports.add(new Report(r.mode(), r.dryRun(), r.trigger(), r.startedAt(), r.finishedAt(), r.scopes(),
                r.subscriptions(), exposed, r.writes(), r.plannedWrites(), r.failures(), r.armCalls()));
        return reports;
    }

    @Test
    void theSchemaExtractIsReadNotHandListed() {
        assertThat(SCHEMA.classUid).isEqualTo(OcsfReport.CLASS_UID);
        assertThat(SCHEMA.eventAttributes).containsKeys("compliance", "finding_info", "severity_id", "cloud",
                "unmapped");
        assertThat(SCHEMA.eventAttributes.get("cloud").path("profile").asText()).isEqualTo("cloud");
    }

    @Test
    void everyEmittedEventConformsToTheClass() throws Exception {
        int checked = 0;
        for (Report report : reports()) {
            for (JsonNode event : ReportJson.mapper().readTree(OcsfReport.write(report))) {
                assertThat(SCHEMA.validate(event)).as(event.path("finding_info").path("uid").asText()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void theValidatorCatchesWhatTheSchemaForbids() throws Exception {
        ObjectNode event = (ObjectNode) ReportJson.mapper().readTree(OcsfReport.write(Fixtures.report(false))).get(0);
        ObjectNode bad = event.deepCopy();
        bad.put("severity_id", 7);
        bad.put("nonsense", 1);
        ((ObjectNode) bad.get("cloud").get("account")).put("type_id", "13");
        ((ObjectNode) bad.get("compliance")).put("status", "Passed");
        bad.remove("finding_info");
        assertThat(SCHEMA.validate(bad)).containsExactlyInAnyOrder(
                "/severity_id: 7 is not in the enum [0, 1, 2, 3, 4, 5, 6, 99]",
                "/nonsense: not an attribute here",
                "/cloud/account/type_id: \"13\" is not a integer_t",
                "/compliance/status_id: sibling status is 'Passed', not the caption 'Pass' of 1",
                "/finding_info: required and missing");
    }

    @Test
    void theSubscriptionIsAnAzureSubscriptionAndTheProductHasAVersion() throws Exception {
        JsonNode event = ReportJson.mapper().readTree(OcsfReport.write(Fixtures.report(false))).get(0);
        JsonNode typeEnum = new OcsfSchema("events/findings/compliance_finding.json").eventAttributes.get("cloud");
        assertThat(typeEnum).isNotNull();
        assertThat(event.at("/cloud/account/type_id").asInt()).isEqualTo(13);
        assertThat(event.at("/cloud/account/type").asText()).isEqualTo("Azure Subscription");
        assertThat(event.at("/metadata/product/version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void exposureNeverLowersAFindingsSeverity() throws Exception {
        for (VmStatus status : VmStatus.values()) {
            VmReport vm = new VmReport(Fixtures.vmId("rg", "vm"), status, "r", List.of(), null);
            int without = severity(vm);
            for (String severity : List.of("HIGH", "MEDIUM")) {
                VmReport exposed = vm.withExposure(new Exposure(List.of(new Exposure.Port("open", 22, "/nsg/n",
                        "allow", 100, "Internet", severity)), List.of()));
                assertThat(severity(exposed)).as(status + " + " + severity).isGreaterThanOrEqualTo(without);
            }
        }
    }

    @Test
    void theRemediationNamesACommandTheCliAccepts() throws Exception {
        for (JsonNode e : ReportJson.mapper().readTree(OcsfReport.write(Fixtures.report(true)))) {
            String desc = e.at("/remediation/desc").asText();
            if (desc.contains("jitguard fix")) {
                assertThat(desc).contains("jitguard fix --scope " + e.at("/resources/0/uid").asText())
                        .doesNotContain("--vm");
            }
        }
    }

    static int severity(VmReport vm) throws Exception {
        Report r = Fixtures.report(false);
        Report one = new Report(r.mode(), r.dryRun(), r.trigger(), r.startedAt(), r.finishedAt(), r.scopes(),
                List.of(), List.of(vm), List.of(), List.of(), List.of(), r.armCalls());
        return ReportJson.mapper().readTree(OcsfReport.write(one)).get(0).path("severity_id").asInt();
    }
}
