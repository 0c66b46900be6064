package io.jitguard.cli;

import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An enforce sweep by the CLI in its own JVM, as a user runs it, against a fresh emulator of an estate: the CPU that
 * JVM spent (the kernel's account of the waited-for child, {@code /proc/self/stat} cutime + cstime) and the ARM calls
 * it made. Nothing of the emulator is in that figure.
 */
final class CliSweep {
    /** The JVM flags {@code bin/jitguard} runs the CLI with (without an AppCDS archive). */
    static final List<String> LAUNCHER_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Xlog:disable", "-Xlog:all=warning:stderr");
    /** Linux reports children's CPU in clock ticks of 1/100 s ({@code USER_HZ}). */
    private static final double TICKS_PER_SECOND = 100;

    record Result(double cpuSeconds, double wallSeconds, long calls) {
        String text() {
            return String.format(Locale.ROOT, "%.1f (%.2f)", cpuSeconds, cpuSeconds * 1000 / Math.max(1, calls));
        }
    }

    private CliSweep() {
    }

    /** Empty when the CLI is not running from its jar or the kernel's accounts cannot be read (not Linux). */
    static Optional<Result> run(Estate estate, List<String> jvmFlags) {
        Optional<Path> jar = ownJar();
        if (jar.isEmpty() || childrenCpuTicks().isEmpty()) {
            return Optional.empty();
        }
        Path report = null;
        Path stderr = null;
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            report = Files.createTempFile("jitguard-bench-", ".json");
            stderr = Files.createTempFile("jitguard-bench-", ".err");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags);
            command.addAll(List.of("-jar", jar.get().toString(), "sweep", "--quiet", "--report", report.toString()));
            // its stderr is shown only when it fails (a sweep without shared locks says so on every run)
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("JITGUARD_") && !k.equals("JITGUARD_PARALLELISM"));
            env.put("JITGUARD_ARM_ENDPOINT", emulator.endpoint());
            env.put("JITGUARD_ARM_TOKEN", "bench-token");
            env.put("JITGUARD_ARM_CA_FILE", EmulatorTls.caFile().toString());
            env.remove("JAVA_TOOL_OPTIONS");
            emulator.stats().reset();
            long ticks0 = childrenCpuTicks().orElseThrow();
            long t0 = System.nanoTime();
            int code = builder.start().waitFor();
            double wall = (System.nanoTime() - t0) / 1e9;
            long ticks = childrenCpuTicks().orElseThrow() - ticks0;
            if (code != ExitCodes.COMPLIANT && code != ExitCodes.FINDINGS_REMAIN) {
                throw new IllegalStateException("the CLI sweep in its own JVM exited " + code + ": "
                        + io.jitguard.report.SafeText.oneLine(Files.readString(stderr)));
            }
            return Optional.of(new Result(ticks / TICKS_PER_SECOND, wall,
                    emulator.stats().reads() + emulator.stats().writes()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the CLI sweep ran", e);
        } finally {
            for (Path p : new Path[] {report, stderr}) {
                if (p != null) {
                    p.toFile().delete();
                }
            }
        }
    }

    private static Optional<Path> ownJar() {
        try {
            Path p = Path.of(CliSweep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** cutime + cstime of this process: the CPU of its children that it has waited for, in clock ticks. */
    static Optional<Long> childrenCpuTicks() {
        try {
            return parseChildrenTicks(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Fields 16 and 17 of a {@code /proc/[pid]/stat} line (counted after the command name, which may hold spaces). */
    static Optional<Long> parseChildrenTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        if (fields.length < 15) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
    }
}
