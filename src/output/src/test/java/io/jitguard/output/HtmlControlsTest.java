package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.baseline.Baseline;
import io.jitguard.report.Control;
import io.jitguard.report.Controls;
import io.jitguard.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The page's Controls column, legend and filter; the filter run by headless Chromium from disk. */
class HtmlControlsTest {
    final Report report = ControlsOutputTest.withControls();
    final String html = HtmlReport.write(report, Baseline.defaults());
    final Document doc = Jsoup.parse(html);

    private Element row(String status) {
        return doc.select("tr.vm[data-status=" + status + "]").first();
    }

    @Test
    void eachRowNamesItsEvidenceAndTheLegendListsEachControlOnce() {
        assertThat(doc.select("#vm-table thead th").last().text()).isEqualTo("Controls");
        assertThat(row("would-fix").attr("data-evidence")).isEqualTo("jit");
        assertThat(row("would-fix").select("td.controls").text()).isEqualTo("JIT");
        assertThat(row("exposed").attr("data-evidence")).isEqualTo("jit exposed-ssh");
        assertThat(row("exposed").select("td.controls").text()).isEqualTo("JIT · SSH from Internet");
        assertThat(row("compliant").attr("data-evidence")).isEmpty();
        String legend = doc.select("#control-legend").text();
        for (Control c : Controls.union(List.of(Controls.JIT, Controls.EXPOSED_SSH))) {
            assertThat(legend).contains(c.text());
        }
        assertThat(legend).doesNotContain("CIS_Azure_2.0.0_6.1").doesNotContain(" 6.1");
    }

    @Test
    void theFilterOffersEachControlGroupedByStandardWithTheEvidenceThatHoldsIt() {
        Element select = doc.select("select#control-filter").first();
        assertThat(select.select("optgroup").eachAttr("label")).contains("Microsoft cloud security benchmark",
                "NIST SP 800-53 Rev. 5", "CIS Microsoft Azure Foundations Benchmark v2.0.0");
        Element ssh = select.select("option[title=CIS_Azure_2.0.0_6.2]").first();
        assertThat(ssh.attr("value")).isEqualTo("exposed-ssh");
        assertThat(ssh.text()).isEqualTo("6.2");
        assertThat(select.select("option[title=NIST_SP_800-53_R5_AC-4]").attr("value")).isEqualTo("jit");
        assertThat(select.select("option[title=CIS_Azure_2.0.0_6.1]")).as("no RDP finding on the page").isEmpty();
    }

    @Test
    void chromiumHidesTheRowsWithoutTheChosenControlOffline() throws Exception {
        io.jitguard.testing.Chromium.require();
        // the same page with the CIS 6.2 option chosen (the script, and so its CSP hash, unchanged)
        String chosen = html.replace("<option value=\"exposed-ssh\" title=\"CIS_Azure_2.0.0_6.2\">",
                "<option value=\"exposed-ssh\" title=\"CIS_Azure_2.0.0_6.2\" selected>");
        assertThat(chosen).isNotEqualTo(html);
        Files.createDirectories(HtmlInChromiumTest.OUT);
        Path page = HtmlInChromiumTest.OUT.resolve("report-control-filter.html").toAbsolutePath();
        Files.writeString(page, chosen);

        io.jitguard.testing.Chromium.Result dom = io.jitguard.testing.Chromium.run(page, "--dump-dom",
                "--enable-logging=stderr", "--v=0");

        assertThat(dom.stderr()).doesNotContain("Content Security Policy").doesNotContain("Uncaught");
        Document after = Jsoup.parse(dom.stdout());
        assertThat(after.select("tr.vm:not([hidden])").eachAttr("data-status")).containsExactly("exposed");
        assertThat(after.select("#shown").text()).isEqualTo("1 of " + report.vms().size() + " shown");
    }
}
