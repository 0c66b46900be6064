package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's run command: the demo sweeps the sample estate, replays drift and prints the before/after table. */
class DemoTest {
    @Test
    void demoFixesTheDriftAndTheSecondSweepWritesNothing() {
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
    }
}
