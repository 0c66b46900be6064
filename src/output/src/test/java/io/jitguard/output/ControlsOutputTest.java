package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.report.Control;
import io.jitguard.report.Controls;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The controls a VM's findings evidence, in JSON, CSV and OCSF (the HTML page: {@link HtmlReportTest}). */
class ControlsOutputTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The fixture report; the would-fix VM evidences the JIT controls, the exposed one CIS's SSH controls too. */
    static Report withControls() {
        Report r = Fixtures.report(true);
        List<VmReport> vms = new ArrayList<>(r.vms());
        vms.replaceAll(vm -> switch (vm.status()) {
            case WOULD_FIX -> vm.withControls(Controls.of(Controls.JIT));
            case EXPOSED -> vm.withControls(Controls.union(List.of(Controls.JIT, Controls.EXPOSED_SSH)));
            default -> vm;
        });
        return new Report(r.mode(), r.dryRun(), r.trigger(), r.startedAt(), r.finishedAt(), r.scopes(),
                r.subscriptions(), vms, r.writes(), r.plannedWrites(), r.failures(), r.armCalls(), r.plannedChanges());
    }

    static List<String> ids(String evidence) {
        return Controls.of(evidence).stream().map(Control::control).toList();
    }

    @Test
    void jsonNamesEachVmsControlsByIdAndDescribesEachOnce() throws Exception {
        JsonNode json = JSON.readTree(ReportJson.write(withControls()));
        JsonNode vms = json.path("vms");
        for (JsonNode vm : vms) {
            List<String> controls = new ArrayList<>();
            vm.path("controls").forEach(c -> controls.add(c.asText()));
            switch (VmStatus.valueOf(vm.path("status").asText().toUpperCase().replace('-', '_'))) {
                case WOULD_FIX -> assertThat(controls).isEqualTo(ids(Controls.JIT));
                case EXPOSED -> assertThat(controls).containsAll(ids(Controls.JIT))
                        .containsAll(ids(Controls.EXPOSED_SSH)).doesNotContainAnyElementsOf(ids(Controls.EXPOSED_RDP));
                default -> assertThat(vm.has("controls")).as("no findings, no controls: %s", vm).isFalse();
            }
        }
        JsonNode catalog = json.path("controls");
        List<String> described = new ArrayList<>();
        catalog.fieldNames().forEachRemaining(described::add);
        assertThat(described).containsExactlyElementsOf(Controls.union(List.of(Controls.JIT, Controls.EXPOSED_SSH))
                .stream().map(Control::control).toList());
        JsonNode ns3 = catalog.path("Azure_Security_Benchmark_v3.0_NS-3");
        assertThat(ns3.path("standard").asText()).isEqualTo("Microsoft cloud security benchmark");
        assertThat(ns3.path("label").asText()).isEqualTo("NS-3");
        assertThat(ns3.path("initiative").asText()).isEqualTo("1f3afdf9-d0c9-4c3d-847f-89da613e70a8");
        assertThat(JSON.readTree(ReportJson.write(Fixtures.report(true))).has("controls"))
                .as("no control named, no catalog").isFalse();
    }

    @Test
    void csvAppendsAControlsColumnAfterTheStableOnes() throws Exception {
        assertThat(CsvReport.COLUMNS).endsWith("exclusion_value", "controls");
        assertThat(CsvReport.COLUMNS.subList(0, 14)).containsExactly("subscription_id", "resource_group", "vm_name",
                "status", "reason", "changes", "policy_id", "vm_id", "exposure", "exposure_severity", "exclusion_rule",
                "exclusion_until", "notes", "exclusion_value");
        String csv = CsvReport.write(withControls());
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.startsWith("\uFEFF") ? csv.substring(1) : csv)).getRecords();
        for (CSVRecord row : rows) {
            String controls = row.get("controls");
            switch (row.get("status")) {
                case "would-fix" -> assertThat(List.of(controls.split("; "))).isEqualTo(ids(Controls.JIT));
                case "exposed" -> assertThat(controls).contains("CIS_Azure_2.0.0_6.2", "NIST_SP_800-53_R5_SC-7");
                default -> assertThat(controls).isEmpty();
            }
        }
    }

    @Test
    void ocsfNamesTheStandardsAndTheirControlIdsAsRequirements() throws Exception {
        JsonNode events = JSON.readTree(OcsfReport.write(withControls()));
        boolean seen = false;
        for (JsonNode e : events) {
            JsonNode compliance = e.path("compliance");
            if (e.path("status_code").asText().equals("exposed")) {
                seen = true;
                List<String> standards = new ArrayList<>();
                compliance.path("standards").forEach(s -> standards.add(s.asText()));
                assertThat(standards).contains(OcsfReport.STANDARD, "Microsoft cloud security benchmark",
                        "NIST SP 800-53 Rev. 5", "CIS Microsoft Azure Foundations Benchmark v2.0.0",
                        "CIS Azure Foundations v2.1.0").doesNotHaveDuplicates();
                assertThat(standards.get(0)).isEqualTo(OcsfReport.STANDARD);
                List<String> requirements = new ArrayList<>();
                compliance.path("requirements").forEach(s -> requirements.add(s.asText()));
                assertThat(requirements).containsAll(ids(Controls.EXPOSED_SSH)).containsAll(ids(Controls.JIT));
            } else if (e.path("status_code").asText().equals("compliant")) {
                assertThat(compliance.has("requirements")).isFalse();
                assertThat(compliance.path("standards")).hasSize(1);
            }
        }
        assertThat(seen).isTrue();
        for (JsonNode e : events) {
            assertThat(OcsfSchemaTest.SCHEMA.validate(e)).as("OCSF 1.8.0: %s", e.path("finding_info").path("uid"))
                    .isEmpty();
        }
    }
}
