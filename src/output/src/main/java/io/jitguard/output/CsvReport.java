package io.jitguard.output;

import io.jitguard.report.Control;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * One row per VM finding, RFC 4180 (comma, double quotes, CRLF), with a header row. The columns, in this order, are
 * stable: {@link #COLUMNS}. {@code changes} joins a VM's changes with {@code "; "}; {@code exposure} its open ports
 * ({@code 22 open via nsg/rule (priority, source) SEVERITY}, {@code "; "}-joined, empty when none) and
 * {@code exposure_severity} the highest of them ({@code HIGH}, {@code MEDIUM} or empty); {@code exclusion_rule} and
 * {@code exclusion_until} the exclusion that excluded the VM, that expired or that was refused (empty when none,
 * {@code until} empty for a refused tag); {@code notes} its notes ({@code exclusion-expired: …},
 * {@code exclusion-refused: …}), {@code "; "}-joined; {@code exclusion_value} the exclusion tag's value as found on
 * the VM or its group (empty for an approved entry); {@code controls} the ids of the regulatory controls its findings
 * evidence (Azure Policy initiative group names, e.g. {@code NIST_SP_800-53_R5_AC-4}), {@code "; "}-joined. New
 * columns are only ever appended.
 *
 * <p>The text starts with a UTF-8 byte order mark ({@link #BOM}): without it Excel reads a CSV file in the system's
 * legacy code page and garbles non-Latin names; with it, Excel, LibreOffice and commons-csv (with a BOM-aware reader)
 * read UTF-8.
 *
 * <p>Formula injection: a spreadsheet runs a cell that starts with {@code = + - @} (or a tab or carriage return) as a
 * formula, and VM names, tags and reasons come from whoever can write to the estate. Such a cell is written with a
 * leading {@code '} (OWASP's advice), so it opens as text; the value is otherwise unchanged.
 */
public final class CsvReport {
    public static final List<String> COLUMNS = List.of("subscription_id", "resource_group", "vm_name", "status",
            "reason", "changes", "policy_id", "vm_id", "exposure", "exposure_severity",
            "exclusion_rule", "exclusion_until", "notes", "exclusion_value",
            "controls");

    /** U+FEFF, written first so spreadsheet programs read the file as UTF-8. */
    public static final String BOM = "\uFEFF";

    private CsvReport() {
    }

    public static String write(Report report) {
        return StreamedText.text(out -> write(report, out));
    }

    /** The same text written to {@code out} as UTF-8, a row at a time; {@code out} is flushed, not closed. */
    static void write(Report report, OutputStream stream) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        out.append(BOM);
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();
        // VMs with the same findings share one list of controls: join each list once
        Map<List<Control>, String> controls = new IdentityHashMap<>();
        CSVPrinter csv = new CSVPrinter(out, format);
        for (VmReport vm : report.vms()) {
            Outcomes.Parts id = Outcomes.Parts.of(vm.id());
            csv.printRecord(cell(id.subscription()), cell(id.resourceGroup()), cell(id.name()),
                    cell(vm.status().label()), cell(nullToEmpty(vm.reason())), cell(String.join("; ", vm.changes())),
                    cell(nullToEmpty(vm.policyId())), cell(vm.id()), cell(vm.exposed() ? vm.exposure().summary() : ""),
                    cell(vm.exposed() ? String.valueOf(vm.exposure().severity()) : ""),
                    cell(vm.exclusion() == null ? "" : nullToEmpty(vm.exclusion().rule())),
                    cell(vm.exclusion() == null || vm.exclusion().until() == null ? ""
                            : vm.exclusion().until().toString()),
                    cell(String.join("; ", vm.notes())),
                    cell(vm.exclusion() == null ? "" : nullToEmpty(vm.exclusion().tagValue())),
                    cell(controls.computeIfAbsent(vm.controls(), cs -> cs.stream().map(Control::control)
                            .collect(Collectors.joining("; ")))));
        }
        csv.flush();
        out.flush();
    }

    /** The value, with a leading {@code '} when a spreadsheet would take it for a formula. */
    static String cell(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
