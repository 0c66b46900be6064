package io.jitguard.output;

import io.jitguard.baseline.Baseline;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The forms a report can be written in: {@code json} (the default), {@code csv}, {@code html}, {@code ocsf}. */
public enum OutputFormat {
    JSON("json", "report.json", "application/json; charset=utf-8"),
    CSV("csv", "report.csv", "text/csv; charset=utf-8; header=present"),
    HTML("html", "report.html", "text/html; charset=utf-8"),
    OCSF("ocsf", "report.ocsf.json", "application/json; charset=utf-8");

    private final String label;
    private final String fileName;
    private final String contentType;

    OutputFormat(String label, String fileName, String contentType) {
        this.label = label;
        this.fileName = fileName;
        this.contentType = contentType;
    }

    public String label() {
        return label;
    }

    /** The file this format is written to in an output directory. */
    public String fileName() {
        return fileName;
    }

    /** The HTTP {@code Content-Type} of this format. */
    public String contentType() {
        return contentType;
    }

    /**
     * The report in this format, as text (for an HTTP answer or a test; a file is better written by
     * {@link #write(Report, Baseline, OutputStream)}).
     *
     * @param baseline the desired state the run used, shown in the HTML header; null when unknown
     */
    public String render(Report report, Baseline baseline) {
        return StreamedText.text(out -> write(report, baseline, out));
    }

    /**
     * Writes the report in this format to {@code out} as UTF-8, as it is produced: no format holds the whole text (or,
     * for JSON, a tree of it) in memory, so a report of 50,000 VMs costs little more heap than the report itself.
     * {@code out} is flushed, not closed.
     *
     * @param baseline the desired state the run used, shown in the HTML header; null when unknown
     */
    public void write(Report report, Baseline baseline, OutputStream out) throws IOException {
        switch (this) {
            case JSON -> ReportJson.write(report, out);
            case CSV -> CsvReport.write(report, out);
            case HTML -> HtmlReport.write(report, baseline, out);
            case OCSF -> OcsfReport.write(report, out);
        }
        out.flush();
    }

    /** @throws IllegalArgumentException naming the value and the formats there are */
    public static OutputFormat parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (OutputFormat f : values()) {
            if (f.label.equals(v)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + value + "' (expected one of " + labels() + ")");
    }

    /** A comma-separated list such as {@code json,csv}; duplicates are dropped, order kept. */
    public static List<OutputFormat> parseList(String values) {
        if (values == null || values.isBlank()) {
            throw new IllegalArgumentException("no output format given (expected one or more of " + labels() + ")");
        }
        LinkedHashSet<OutputFormat> formats = new LinkedHashSet<>();
        for (String v : values.split(",", -1)) {
            formats.add(parse(v));
        }
        return new ArrayList<>(formats);
    }

    public static String labels() {
        return Arrays.stream(values()).map(OutputFormat::label).collect(Collectors.joining(", "));
    }
}
