package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class CsvReportTest {
    @Test
    void everyVmRoundTripsThroughCommonsCsv() throws Exception {
        Report report = Fixtures.report(false);
        String csv = CsvReport.write(report);
        assertThat(csv).contains("\r\n");
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(withoutBom(csv))).getRecords();
        assertThat(records.get(0).getParser().getHeaderNames()).isEqualTo(CsvReport.COLUMNS);
        assertThat(records).hasSize(report.vms().size());
        for (int i = 0; i < records.size(); i++) {
            VmReport vm = report.vms().get(i);
            CSVRecord r = records.get(i);
            assertThat(r.get("vm_id")).isEqualTo(vm.id());
            assertThat(r.get("status")).isEqualTo(vm.status().label());
            assertThat(r.get("subscription_id")).isEqualTo(Fixtures.SUB);
            assertThat(r.get("policy_id")).isEqualTo(vm.policyId());
            String changes = String.join("; ", vm.changes());
            assertThat(r.get("changes")).isEqualTo(CsvReport.cell(changes));
        }
        CSVRecord hostile = records.get(records.size() - 1);
        assertThat(hostile.get("vm_name")).isEqualTo(Fixtures.HOSTILE);
    }

    @Test
    void exclusionRuleUntilNotesAndTheTagsValueKeepTheirPlaces() throws Exception {
        assertThat(CsvReport.COLUMNS.subList(10, 14))
                .containsExactly("exclusion_rule", "exclusion_until", "notes", "exclusion_value");
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(withoutBom(CsvReport.write(Fixtures.report(true))))).getRecords();
        CSVRecord excluded = records.stream().filter(r -> r.get("status").equals("excluded")).findFirst()
                .orElseThrow();
        assertThat(excluded.get("exclusion_rule")).isEqualTo("'" + Fixtures.HOSTILE_RULE);
        assertThat(excluded.get("exclusion_until")).isEqualTo("2025-03-31");
        assertThat(excluded.get("notes")).isEmpty();
        CSVRecord expired = records.stream().filter(r -> r.get("status").equals("would-fix")).findFirst()
                .orElseThrow();
        assertThat(expired.get("exclusion_rule")).isEqualTo("tag jitguard-exclude on the VM");
        assertThat(expired.get("exclusion_until")).isEqualTo("2024-12-31");
        assertThat(expired.get("notes")).isEqualTo(Fixtures.EXPIRED_NOTE);
        assertThat(expired.get("exclusion_value")).as("the tag's value as found").isEqualTo("2024-12-31");
        assertThat(excluded.get("exclusion_value")).as("an approved entry has no tag value").isEmpty();
        CSVRecord none = records.stream().filter(r -> r.get("status").equals("compliant")).findFirst().orElseThrow();
        assertThat(List.of(none.get("exclusion_rule"), none.get("exclusion_until"), none.get("notes"),
                none.get("exclusion_value")))
                .containsOnly("");
    }

    @Test
    void cellsASpreadsheetWouldRunAsFormulasStartWithAQuote() throws Exception {
        String csv = CsvReport.write(Fixtures.report(false));
        CSVRecord hostile = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords().stream()
                .filter(r -> r.get("vm_name").equals(Fixtures.HOSTILE)).findFirst().orElseThrow();
        assertThat(hostile.get("reason")).isEqualTo("'=HYPERLINK(\"x\") " + Fixtures.HOSTILE);
        assertThat(hostile.get("changes")).isEqualTo("'+" + Fixtures.HOSTILE);
        for (String start : List.of("=", "+", "-", "@", "\t", "\r")) {
            assertThat(CsvReport.cell(start + "1+1")).isEqualTo("'" + start + "1+1");
        }
        assertThat(CsvReport.cell("vm-1")).isEqualTo("vm-1");
    }

    static String withoutBom(String csv) {
        assertThat(csv).startsWith(CsvReport.BOM);
        return csv.substring(1);
    }

    @Test
    void nonLatinNamesSurviveWithTheByteOrderMarkExcelNeeds() throws Exception {
        String name = "вм-데이터-虚拟机-خادم";
        Report report = new Report("enforce", false, "t", java.time.Instant.EPOCH, java.time.Instant.EPOCH,
                List.of(), List.of(), List.of(new VmReport(Fixtures.vmId("rg-ü", name),
                io.jitguard.report.VmStatus.COMPLIANT, "", List.of(), null)), List.of(), List.of(), List.of(),
                new io.jitguard.arm.ArmCalls(0, 0));
        byte[] bytes = CsvReport.write(report).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(java.util.Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        try (var in = org.apache.commons.io.input.BOMInputStream.builder()
                .setInputStream(new java.io.ByteArrayInputStream(bytes)).get();
             var reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
            List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(reader).getRecords();
            assertThat(records.get(0).get("subscription_id")).isEqualTo(Fixtures.SUB);
            assertThat(records.get(0).get("vm_name")).isEqualTo(name);
            assertThat(records.get(0).get("resource_group")).isEqualTo("rg-ü");
        }
    }
}
