package io.jitguard.cli;

import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.engine.RunOptions;
import io.jitguard.output.Notification;
import io.jitguard.output.OutputFormat;
import io.jitguard.report.Report;
import io.jitguard.report.ReportText;
import io.jitguard.runtime.Jitguard;
import io.jitguard.scope.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What writing the report costs, next to the run it reports on ({@code jitguard bench --reports}): on an estate where
 * every VM is uncovered (the largest report: every VM would-fix, every policy planned), a dry run and then the
 * enforce sweep, each written once in every format to a file in a temporary directory, as the CLI's
 * {@code --output-dir} writes it (cold: the first rendering of the process). Per format: milliseconds, the writing
 * thread's CPU milliseconds (which a busy machine inflates far less than wall time), share of the run's wall time, the
 * file's size, and the heap's peak above what it held before (after a GC; an upper bound, garbage included).
 */
final class ReportBench {
    private ReportBench() {
    }

    static List<String> rows(BenchCommand.Size size, Duration latency, long seed, Function<ArmEmulator, Jitguard> connect) {
        Estate estate = (size.wide()
                ? Estate.syntheticWide(size.subscriptions(), size.vmsPerSubscription(), 1.0, seed)
                : Estate.synthetic(size.subscriptions(), size.vmsPerSubscription(), 1.0, seed))
                .withLatency(latency).withArmThrottling(true).withPageSize(1000);
        List<String> rows = new ArrayList<>();
        Path dir;
        try {
            dir = Files.createTempDirectory("jitguard-report-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            Jitguard jitguard = connect.apply(emulator);
            List<Scope> all = jitguard.subscriptionScopes();
            for (boolean dryRun : new boolean[] {true, false}) {
                long t0 = System.nanoTime();
                Report report = jitguard.reconcile(all, new RunOptions(dryRun, "bench:reports"));
                double wall = (System.nanoTime() - t0) / 1e9;
                String run = (dryRun ? "dry run" : "enforce") + String.format(Locale.ROOT, " (%.2f s)", wall);
                Baseline baseline = jitguard.baseline();
                for (OutputFormat f : OutputFormat.values()) {
                    // as the CLI's --output-dir writes it: streamed to the file
                    rows.add(row(size.label(), run, f.label(), wall, dir.resolve(f.fileName()),
                            out -> f.write(report, baseline, out)));
                }
                // as the CLI prints the summary and the function posts the notification: a string
                rows.add(row(size.label(), run, "text summary", wall, dir.resolve("summary.txt"),
                        out -> out.write(ReportText.summary(report).getBytes(StandardCharsets.UTF_8))));
                rows.add(row(size.label(), run, "notification", wall, dir.resolve("notification.json"),
                        out -> out.write(Notification.of(report).map(n -> n.render(Notification.Format.TEAMS))
                                .orElse("").getBytes(StandardCharsets.UTF_8))));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a temporary directory left behind is not worth failing the bench for
            }
        }
        return rows;
    }

    private static String row(String estate, String run, String format, double runWall, Path file,
                              io.jitguard.output.StreamedText content) {
        System.gc();
        long before = BenchCommand.usedHeap();
        BenchCommand.resetPeakHeap();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long bytes;
        try {
            OutputOptions.write(file, content);
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = Math.max(0, threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        long peak = Math.max(0, BenchCommand.peakHeap() - before);
        return String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.1f %% | %.2f | %d |", estate, run, format,
                seconds * 1000, cpu * 1000, 100 * seconds / runWall, bytes / 1e6, peak / (1024 * 1024));
    }

    static String header() {
        return "| estate (all VMs uncovered) | run (wall) | format | ms | CPU ms | of the run's wall | output MB "
                + "| peak heap above before, MB |\n|---|---|---|---|---|---|---|---|";
    }
}
