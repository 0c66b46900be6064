package io.jitguard.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (/usr/bin/chromium) for the HTML report's tests: the page's DOM after its script ran, a
 * screenshot, and layout figures measured by a probe script in a copy of the page. Tests calling {@link #require()}
 * are skipped without Chromium, except in CI (CI=true), where .ci/run installs it.
 */
public final class Chromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final String WINDOW = "--window-size=1400,1000";

    private Chromium() {
    }

    /** Skips the test when Chromium is absent (fails in CI, which must have it). */
    public static void require() {
        if (!Files.isExecutable(BINARY)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but " + BINARY + " is missing: .ci/run should have installed it");
            }
            assumeTrue(false, "chromium is not installed (apt-get install -y chromium); skipping the browser check");
        }
    }

    public record Result(String stdout, String stderr) {
    }

    public static Result run(Path page, String... args) throws Exception {
        Path profile = Files.createTempDirectory("jitguard-chromium");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + profile));
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

    /**
     * Runs {@code probe} (a JavaScript expression) in a copy of the page laid out in a 1400×1000 window and returns
     * its value as a string. The copy drops the page's Content-Security-Policy so the probe may run; the page itself
     * is tested with its policy in place.
     */
    public static String probe(Path page, String probe) throws Exception {
        String html = Files.readString(page, StandardCharsets.UTF_8)
                .replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "");
        String script = "<script>document.body.setAttribute('data-probe', encodeURIComponent(String((function () {"
                + "return " + probe + ";})())));</script>";
        html = html.replace("</body>", script + "</body>");
        Path copy = page.resolveSibling(page.getFileName() + ".probe.html");
        Files.writeString(copy, html, StandardCharsets.UTF_8);
        Result dom = run(copy, "--dump-dom", WINDOW);
        Matcher m = Pattern.compile("data-probe=\"([^\"]*)\"").matcher(dom.stdout());
        if (!m.find()) {
            throw new AssertionError("the probe left no value; chromium said: " + dom.stderr());
        }
        return java.net.URLDecoder.decode(m.group(1).replace("&amp;", "&"), StandardCharsets.UTF_8);
    }
}
