package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.baseline.Baseline;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each format streamed to a file is, byte for byte, the format's text. */
class OutputFormatTest {
    @Test
    void everyFormatWrittenToAStreamIsItsText() throws IOException {
        for (boolean dryRun : new boolean[] {true, false}) {
            Report report = Fixtures.report(dryRun);
            for (OutputFormat f : OutputFormat.values()) {
                String text = switch (f) {
                    case JSON -> ReportJson.write(report);
                    case CSV -> CsvReport.write(report);
                    case HTML -> HtmlReport.write(report, Baseline.defaults());
                    case OCSF -> OcsfReport.write(report);
                };
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                f.write(report, Baseline.defaults(), out);
                assertThat(out.toString(StandardCharsets.UTF_8)).as(f.label()).isEqualTo(text);
                assertThat(f.render(report, Baseline.defaults())).as(f.label()).isEqualTo(text);
            }
        }
    }

    @Test
    void writingLeavesTheStreamOpen() throws IOException {
        Report report = Fixtures.report(true);
        for (OutputFormat f : OutputFormat.values()) {
            ClosingCheck out = new ClosingCheck();
            f.write(report, Baseline.defaults(), out);
            assertThat(out.closed).as(f.label()).isFalse();
            assertThat(out.bytes).as(f.label()).isPositive();
        }
    }

    private static final class ClosingCheck extends OutputStream {
        boolean closed;
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
