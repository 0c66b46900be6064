package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jitguard.baseline.Baseline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser: headless Chromium opens it from disk, runs its script (the filter controls appear and
 * count the rows) with no console error, and leaves a screenshot under target/. Skipped without /usr/bin/chromium,
 * except in CI (CI=true), where .ci/run installs it.
 */
class HtmlInChromiumTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path OUT = Path.of("src/output/target/html-report");

    @Test
    void chromiumRendersThePageFromDiskAndItsScriptRunsWithoutError() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            assumeTrue("true".equals(System.getenv("CI")) ? fail() : false,
                    "chromium is not installed (apt-get install -y chromium); skipping the browser check");
        }
        Files.createDirectories(OUT);
        Path page = OUT.resolve("report.html").toAbsolutePath();
        Files.writeString(page, HtmlReport.write(Fixtures.report(true), Baseline.defaults()));

        Result dom = chromium(page, "--dump-dom", "--enable-logging=stderr", "--v=0");
        assertThat(dom.stdout).contains("id=\"shown\">" + Fixtures.report(true).vms().size() + " of ");
        assertThat(dom.stdout).contains("<div id=\"controls\">");
        assertThat(dom.stderr).doesNotContain("Uncaught").doesNotContain("Content Security Policy")
                .doesNotContain("Refused to");
        assertThat(dom.stdout).doesNotContain("<script>alert");

        Path png = OUT.resolve("report.png").toAbsolutePath();
        Result shot = chromium(page, "--screenshot=" + png, "--window-size=1400,1000");
        assertThat(png).exists();
        assertThat(Files.size(png)).as(shot.stderr).isGreaterThan(10_000);
    }

    private static boolean fail() {
        throw new AssertionError("CI=true but " + CHROMIUM + " is missing: .ci/run should have installed it");
    }

    record Result(String stdout, String stderr) {
    }

    static Result chromium(Path page, String... args) throws Exception {
        Path profile = Files.createTempDirectory("jitguard-chromium");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s");
        }
        return new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
