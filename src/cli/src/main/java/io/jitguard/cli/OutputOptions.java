package io.jitguard.cli;

import io.jitguard.baseline.Baseline;
import io.jitguard.output.OutputFormat;
import io.jitguard.output.StreamedText;
import io.jitguard.report.Report;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --output-dir DIR --output-formats json,csv,html,ocsf}: the report written to DIR once per format
 * ({@code report.json}, {@code report.csv}, {@code report.html}, {@code report.ocsf.json}); JSON when no format is
 * named. Checked before anything is read: an unknown format or a DIR that is a file is a usage error (exit 2).
 */
final class OutputOptions {
    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Write the report to DIR (created if missing), once per --output-formats.")
    Path outputDir;

    @Option(names = "--output-formats", paramLabel = "FORMATS",
            description = "Comma-separated: json (default), csv, html, ocsf.")
    String formats;

    private List<OutputFormat> parsed = List.of();

    /** @throws InputException naming what is wrong */
    void validate() {
        if (formats != null && outputDir == null) {
            throw new InputException("--output-formats needs --output-dir");
        }
        if (outputDir == null) {
            return;
        }
        try {
            parsed = formats == null ? List.of(OutputFormat.JSON) : OutputFormat.parseList(formats);
        } catch (IllegalArgumentException e) {
            throw new InputException("--output-formats: " + e.getMessage());
        }
        if (Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
            throw new InputException("--output-dir " + outputDir + " is not a directory");
        }
    }

    /** Writes each format; returns the files written. A file that cannot be written is reported on err. */
    List<Path> write(Report report, Baseline baseline, PrintWriter err) {
        List<Path> written = new ArrayList<>();
        if (outputDir == null) {
            return written;
        }
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            err.println("jitguard: could not create --output-dir " + outputDir + ": " + e.getMessage());
            return written;
        }
        for (OutputFormat f : parsed) {
            Path file = outputDir.resolve(f.fileName());
            try {
                write(file, out -> f.write(report, baseline, out));
                written.add(file);
            } catch (IOException e) {
                err.println("jitguard: could not write " + file + ": " + e.getMessage());
            }
        }
        return written;
    }

    /**
     * Streams {@code content} to a new file beside {@code file}, then moves it onto {@code file}: the report is written
     * as it is produced (never whole in memory), and a reader never sees half of it, nor a failed run an old report
     * half-overwritten.
     */
    static void write(Path file, StreamedText content) throws IOException {
        // a link is followed (its target gets the report, the link stays); a device or a pipe is written into as it is
        Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
                content.writeTo(out);
            }
            return;
        }
        Path dir = target.getParent();
        // not Files.createTempFile: its owner-only permissions would differ from the report's written in place
        Path partial = dir.resolve("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".partial");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), 1 << 16)) {
                content.writeTo(out);
            }
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
