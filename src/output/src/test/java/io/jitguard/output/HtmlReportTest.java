package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.baseline.Baseline;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    final Report report = Fixtures.report(true);
    final String html = HtmlReport.write(report, Baseline.defaults());
    final Document doc = Jsoup.parse(html);

    @Test
    void theHeaderNamesTheRunAndTheBaseline() {
        assertThat(doc.getElementById("mode").text()).isEqualTo("enforce (dry run)");
        assertThat(doc.getElementById("ports").text()).startsWith("22, 3389, 5985, 5986");
        assertThat(doc.getElementById("max-duration").text()).isEqualTo("PT3H");
        assertThat(doc.getElementById("sources").text()).isEqualTo("*");
        assertThat(doc.getElementById("run").text()).contains("/subscriptions/" + Fixtures.SUB);
    }

    @Test
    void theTotalsChartHasOneBarAStatusWithItsCount() {
        for (VmStatus s : VmStatus.values()) {
            Element bar = doc.selectFirst("#totals g.total[data-status=" + s.label() + "]");
            assertThat(bar).as(s.label()).isNotNull();
            assertThat(bar.attr("data-count")).isEqualTo(String.valueOf(report.count(s)));
        }
    }

    @Test
    void everyVmHasARowWithItsStatusAndChanges() {
        assertThat(doc.select("#vm-table tbody tr.vm")).hasSize(report.vms().size());
        for (VmReport vm : report.vms()) {
            Element row = doc.select("#vm-table tbody tr.vm").stream().filter(r -> id(r).equals(vm.id()))
                    .findFirst().orElseThrow(() -> new AssertionError("no row for " + vm.id()));
            assertThat(row.attr("data-status")).isEqualTo(vm.status().label());
            assertThat(row.selectFirst("td:nth-child(5)").text()).isEqualTo(String.join("; ", vm.changes()));
        }
    }

    @Test
    void aHostileVmNameIsTextEverywhereAndNeverMarkup() {
        // the only script is ours, with no data in it, and the CSP pins its hash
        assertThat(doc.select("script")).hasSize(1);
        assertThat(doc.select("script").first().data()).doesNotContain("alert");
        assertThat(html).doesNotContain("<script>alert").doesNotContain("\"'&<");
        Element row = doc.select("tr.vm[data-status=blocked]").stream()
                .filter(r -> id(r).endsWith(Fixtures.HOSTILE)).findFirst().orElseThrow();
        assertThat(row.selectFirst("td:nth-child(2) bdi").text()).isEqualTo(Fixtures.HOSTILE);
        assertThat(row.selectFirst("td:nth-child(4)").text()).isEqualTo("=HYPERLINK(\"x\") " + Fixtures.HOSTILE);
        assertThat(id(row)).isEqualTo(Fixtures.vmId("rg-hostile", Fixtures.HOSTILE));
        assertThat(doc.select("tr.failure td").eachText()).contains("slow down " + Fixtures.HOSTILE);
        assertThat(doc.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content"))
                .contains("default-src 'none'").contains("script-src 'sha256-");
    }

    @Test
    void theExclusionCellNamesTheRuleUntilAndReasonAsTextAndTheNotes() {
        Element excluded = doc.selectFirst("tr.vm[data-status=excluded]");
        assertThat(excluded.select("td:nth-child(7) .note").eachText()).containsExactly("excluded by "
                + Fixtures.HOSTILE_RULE + " until 2025-03-31: " + Fixtures.HOSTILE_REASON);
        assertThat(excluded.select("td:nth-child(7) b")).isEmpty();
        assertThat(html).doesNotContain("<b>x</b>");
        assertThat(doc.select("#vm-table thead th").eachText()).contains("Exclusion / notes");
        Element expired = doc.selectFirst("tr.vm[data-status=would-fix]");
        assertThat(expired.select("td:nth-child(7) .note").eachText()).containsExactly(
                "exclusion expired: tag jitguard-exclude on the VM = \"2024-12-31\" until 2024-12-31",
                Fixtures.EXPIRED_NOTE);
        assertThat(doc.selectFirst("tr.vm[data-status=compliant] td:nth-child(7)").text()).isEmpty();
    }

    @Test
    void aDryRunShowsEachPlannedWriteAsItsChangesPerVmEntry() {
        Element change = doc.selectFirst(".planned-change");
        assertThat(change.attr("data-target")).isEqualTo(Fixtures.POLICY);
        assertThat(change.select("li").eachAttr("data-op")).containsExactly("add-port", "add-entry");
        assertThat(change.select("li").eachText()).containsExactly("add-port port 22: ? ? from \u2014 1 VM: a",
                "add-entry: no ports \u2014 1 VM: " + Fixtures.HOSTILE);
        assertThat(change.text()).doesNotContain("provisioningState").doesNotContain("systemData");
        assertThat(doc.select("#writes li").eachText()).contains(Fixtures.POLICY);
    }

    @Test
    void everyVmStatusAndMonitoringRowIsThereWithoutJavaScript() {
        assertThat(doc.getElementById("controls").hasAttr("hidden")).isTrue();
        assertThat(doc.select("#monitoring tbody tr").first().text()).contains("would-fix").contains("Disabled");
        assertThat(doc.select("#status-filter option").eachAttr("value")).hasSize(VmStatus.values().length + 1);
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("src=");
    }

    @Test
    void valuesAreEscapedExactlyAsJMustacheEscapesHtml() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "&<>\"'`=a \u00e9\u202e\u4e2d;#x";
        java.util.List<String> values = new java.util.ArrayList<>(java.util.List.of("", "plain", Fixtures.HOSTILE,
                "<script>alert('x')</script>", "a=b&c=\"d\"", "`x`", "&amp;"));
        for (int i = 0; i < 500; i++) {
            StringBuilder v = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(v.toString());
        }
        for (String v : values) {
            assertThat(HtmlReport.escape(v)).as(v).isEqualTo(com.samskivert.mustache.Escapers.HTML.escape(v));
        }
    }

    @Test
    void thePageWrittenToAStreamIsThePageAsText() throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        HtmlReport.write(report, Baseline.defaults(), out);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(html);
    }

    /** The VM's id from its row: subscription, resource group and name. */
    static String id(Element row) {
        return "/subscriptions/" + row.selectFirst("td:nth-child(2)").attr("data-sub") + "/resourceGroups/"
                + row.selectFirst("td:nth-child(3)").text() + "/providers/Microsoft.Compute/virtualMachines/"
                + row.selectFirst("td:nth-child(2)").text();
    }
}
