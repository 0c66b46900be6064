package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.testing.Chromium;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's run command: the demo sweeps the sample estate, replays drift and prints the before/after table. */
class DemoTest {
    @Test
    void demoFixesTheDriftAndTheSecondSweepWritesNothing() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(Map.of(), new String[] {"demo"}, new PrintWriter(out, true), new PrintWriter(err, true));

        String text = out.toString();
        assertThat(code).as(err.toString()).isZero();
        assertThat(text).contains("== Before / after");
        String table = text.substring(text.indexOf("== Before / after"));
        assertThat(table).containsPattern("rg-web/vm-web-2\\s+would-fix\\s+compliant");
        assertThat(table).containsPattern("rg-web/vm-web-3\\s+would-fix\\s+compliant");
        assertThat(table).containsPattern("rg-data/vm-nonsg\\s+unsupported\\s+unsupported");
        assertThat(table).containsPattern("rg-dev/vm-dev-1\\s+blocked\\s+blocked");
        assertThat(table).containsPattern("rg-web/vm-web-4\\s+-\\s+compliant");
        assertThat(text).contains("== Second sweep: 0 writes");
        assertThat(text).containsPattern("to Disabled -> .*: 1 writes: monitoring effect Disabled -> AuditIfNotExists");
        assertThat(text).containsPattern("jitguard's own writes raised come back -> .*: 0 writes");
        assertThat(text).contains("HTML report of the sweep: ");
        assertThat(java.nio.file.Path.of("target/jitguard-demo/report.html")).content().contains("vm-web-2");
        for (String page : new String[] {"before.html", "report.html"}) {
            theHeadlineCountsTheRowsAndTheWorstComeFirst(Path.of("target/jitguard-demo", page));
        }
        theFirstScreenOfTheDryRunSaysWhatToDo(Path.of("target/jitguard-demo/before.html").toAbsolutePath());
    }

    /** The demo's page, parsed: the headline's numbers are the table's, and the rows run worst first. */
    static void theHeadlineCountsTheRowsAndTheWorstComeFirst(Path page) throws Exception {
        Document doc = Jsoup.parse(Files.readString(page));
        var rows = doc.select("#vm-table tbody tr.vm");
        long findings = rows.stream().filter(r -> r.selectFirst(".badge.finding") != null).count();
        assertThat(doc.selectFirst("#needs-action span").text()).as(page.toString()).isEqualTo(String.valueOf(findings));
        assertThat(doc.select("#actions li[data-kind=vm]").stream().mapToLong(li -> Long.parseLong(li.attr("data-count"))).sum())
                .as("each VM needing action is counted once").isEqualTo(findings);
        long covered = rows.stream().filter(r -> List.of("compliant", "fixed", "exposed")
                .contains(r.attr("data-status"))).count();
        long exposed = rows.stream().filter(r -> r.attr("data-status").equals("exposed")).count();
        assertThat(doc.selectFirst("#covered strong").text()).isEqualTo(String.valueOf(covered));
        assertThat(doc.select("#covered strong").get(1).text()).isEqualTo(String.valueOf(covered - exposed));
        List<Integer> ranks = rows.stream().map(r -> Integer.parseInt(r.attr("data-rank"))).toList();
        assertThat(ranks).as(page + ": worst first").isSorted();
        assertThat(rows.last().attr("data-status")).isIn("compliant", "fixed", "excluded");
        if (rows.stream().anyMatch(r -> r.text().contains("HIGH"))) {
            assertThat(rows.first().selectFirst(".sev").text()).isEqualTo("HIGH");
        }
    }

    /** In Chromium, a 1400×1000 window: the headline and the first rows are on the first screen; a screenshot. */
    static void theFirstScreenOfTheDryRunSaysWhatToDo(Path page) throws Exception {
        Chromium.require();
        JsonNode layout = new ObjectMapper().readTree(Chromium.probe(page, "JSON.stringify({"
                + "headline: document.getElementById('headline').getBoundingClientRect().bottom,"
                + "row: document.querySelector('#vm-table tbody tr').getBoundingClientRect().bottom,"
                + "scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"));
        assertThat(layout.path("headline").asDouble()).isLessThan(1000);
        assertThat(layout.path("row").asDouble()).as("the worst VM is on the first screen").isLessThan(1000);
        assertThat(layout.path("scroll").asInt()).isLessThanOrEqualTo(layout.path("inner").asInt());
        Path png = page.resolveSibling("before.png");
        Chromium.run(page, "--screenshot=" + png, Chromium.WINDOW);
        assertThat(png).exists();
    }
}
