package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.ArmCalls;
import io.jitguard.baseline.Baseline;
import io.jitguard.report.Exposure;
import io.jitguard.report.Failure;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser: headless Chromium opens it from disk, runs its script (the filter controls appear and
 * count the rows) with no console error, and leaves a screenshot under target/; with hostile names (a 90-character
 * resource group, a 100,000-character reason, a right-to-left override) the table stays on the page and the
 * override cannot reorder what it shows.
 */
class HtmlInChromiumTest {
    static final Path OUT = Path.of("src/output/target/html-report");
    static final String RLO_NAME = "\u202Egnp.exe";
    static final String LONG_RG = "rg-" + "a".repeat(87);
    static final String LONG_REASON = "x".repeat(100_000);
    /** Layout figures of the page: widths, the header cells' heights, the headline's place, the first row. */
    static final String LAYOUT = "JSON.stringify({scroll: document.documentElement.scrollWidth,"
            + " inner: window.innerWidth,"
            + " right: Math.max.apply(null, Array.prototype.map.call(document.querySelectorAll('table'),"
            + "   function (t) { return t.getBoundingClientRect().right; })),"
            + " th: Math.max.apply(null, Array.prototype.map.call(document.querySelectorAll('#vm-table th'),"
            + "   function (h) { return h.getBoundingClientRect().height; })),"
            + " td: document.querySelector('#vm-table tbody tr').getBoundingClientRect().height,"
            + " headline: document.getElementById('headline').getBoundingClientRect().bottom,"
            + " first: document.querySelector('#vm-table tbody tr td:nth-child(2)').textContent})";

    @Test
    void chromiumRendersThePageFromDiskAndItsScriptRunsWithoutError() throws Exception {
        Chromium.require();
        Files.createDirectories(OUT);
        Path page = OUT.resolve("report.html").toAbsolutePath();
        Files.writeString(page, HtmlReport.write(Fixtures.report(true), Baseline.defaults()));

        Chromium.Result dom = Chromium.run(page, "--dump-dom", "--enable-logging=stderr", "--v=0");
        assertThat(dom.stdout()).contains("id=\"shown\">" + Fixtures.report(true).vms().size() + " of ");
        assertThat(dom.stdout()).contains("<div id=\"controls\">");
        assertThat(dom.stderr()).doesNotContain("Uncaught").doesNotContain("Content Security Policy")
                .doesNotContain("Refused to");
        assertThat(dom.stdout()).doesNotContain("<script>alert");

        Path png = OUT.resolve("report.png").toAbsolutePath();
        Chromium.Result shot = Chromium.run(page, "--screenshot=" + png, Chromium.WINDOW);
        assertThat(png).exists();
        assertThat(Files.size(png)).as(shot.stderr()).isGreaterThan(10_000);
    }

    static Report hostile() {
        String sub = Fixtures.SUB;
        String base = "/subscriptions/" + sub + "/resourceGroups/";
        String vm = "/providers/Microsoft.Compute/virtualMachines/";
        Exposure high = new Exposure(List.of(new Exposure.Port("open", 3389, base + LONG_RG
                + "/providers/Microsoft.Network/networkSecurityGroups/" + "nsg-".repeat(30), "allow-" + "r".repeat(80),
                100, "Internet", "HIGH")), List.of());
        List<VmReport> vms = List.of(
                new VmReport(base + "rg-web" + vm + "vm-ok", VmStatus.COMPLIANT, "", List.of(), Fixtures.POLICY),
                new VmReport(base + LONG_RG + vm + RLO_NAME, VmStatus.FAILED, LONG_REASON,
                        List.of("add port 22 " + "y".repeat(5_000)), Fixtures.POLICY),
                new VmReport(base + LONG_RG + vm + "vm-" + "n".repeat(120), VmStatus.EXPOSED,
                        "open from the Internet", List.of(), Fixtures.POLICY, high));
        return new Report("enforce", false, "test", Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:02Z"), List.of("/subscriptions/" + sub), List.of(), vms, List.of(),
                List.of(), List.of(new Failure(base + LONG_RG, 500, "E", LONG_REASON, true)), new ArmCalls(1, 0));
    }

    @Test
    void hostileNamesAndHugeReasonsStayOnThePageAndAnOverrideCannotReorderText() throws Exception {
        Chromium.require();
        Files.createDirectories(OUT);
        Path page = OUT.resolve("hostile.html").toAbsolutePath();
        String html = HtmlReport.write(hostile(), Baseline.defaults());
        Files.writeString(page, html);

        assertThat(html).doesNotContain("\u202E");
        Document doc = Jsoup.parse(html);
        var failed = doc.selectFirst("tr.vm[data-status=failed]");
        assertThat(failed.selectFirst("td:nth-child(2) bdi").text()).isEqualTo("<U+202E>gnp.exe");
        assertThat(failed.selectFirst("td:nth-child(4) bdi").text()).hasSizeLessThanOrEqualTo(Text.LONG);
        assertThat(failed.selectFirst("td:nth-child(4) bdi").attr("title")).hasSize(Text.TITLE).startsWith("xxxx");
        assertThat(failed.selectFirst("td:nth-child(3) bdi").attr("title")).isEqualTo(LONG_RG);

        JsonNode layout = ReportJson.mapper().readTree(Chromium.probe(page, LAYOUT));
        int inner = layout.path("inner").asInt();
        assertThat(layout.path("scroll").asInt()).as("page width").isLessThanOrEqualTo(inner);
        assertThat(layout.path("right").asDouble()).as("tables' right edge").isLessThanOrEqualTo(inner);
        assertThat(layout.path("th").asDouble()).as("a header cell is one line").isLessThan(40);
        assertThat(layout.path("td").asDouble()).as("a row with a 100k reason is a few lines").isLessThan(200);
        assertThat(layout.path("first").asText()).as("the exposed HIGH VM comes first").contains("vm-nnnn");

        Path png = OUT.resolve("hostile.png").toAbsolutePath();
        Chromium.run(page, "--screenshot=" + png, Chromium.WINDOW);
        assertThat(png).exists();
    }
}
