package io.jitguard.output;

import io.jitguard.report.Control;
import io.jitguard.report.Controls;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The page's Controls column, legend and filter. A row names only its kinds of evidence ({@code JIT}, {@code RDP},
 * {@code SSH}) in a {@code data-evidence} attribute and in its cell; the legend lists each kind's controls once, and the
 * filter's options carry the kinds that hold a control, so 10,000 rows do not repeat 30 control names each.
 */
final class HtmlControls {
    private static final Map<String, String> LABELS = Map.of(Controls.JIT, "JIT", Controls.EXPOSED_RDP,
            "RDP from Internet", Controls.EXPOSED_SSH, "SSH from Internet");

    private HtmlControls() {
    }

    /** The row's kinds of evidence, space-separated, for {@code data-evidence}; empty when none. */
    static String evidence(VmReport vm) {
        return String.join(" ", Controls.evidenceOf(vm.controls()));
    }

    /** The row's cell text, e.g. {@code JIT · SSH from Internet}. */
    static String cell(VmReport vm) {
        return String.join(" · ", Controls.evidenceOf(vm.controls()).stream().map(HtmlControls::label).toList());
    }

    /**
     * The filter's options, grouped by standard: each control the report's VMs evidence, its value the kinds of
     * evidence that hold it (space-separated).
     */
    static List<Map<String, Object>> options(Report report) {
        Set<String> present = new LinkedHashSet<>();
        report.vms().forEach(vm -> present.addAll(Controls.evidenceOf(vm.controls())));
        Map<String, Map<Control, Set<String>>> byStandard = new LinkedHashMap<>();
        for (String e : Controls.evidence()) {
            if (present.contains(e)) {
                for (Control c : Controls.of(e)) {
                    byStandard.computeIfAbsent(c.standard(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(c, k -> new LinkedHashSet<>()).add(e);
                }
            }
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        byStandard.forEach((standard, controls) -> {
            List<Map<String, String>> options = new ArrayList<>();
            controls.forEach((c, evidence) -> options.add(Map.of("value", String.join(" ", evidence),
                    "label", c.label(), "control", c.control())));
            groups.add(Map.of("standard", standard, "options", options));
        });
        return groups;
    }

    /** What each kind of evidence on the page stands for: its label and its controls ({@code standard label}). */
    static List<Map<String, Object>> legend(Report report) {
        Set<String> present = new LinkedHashSet<>();
        report.vms().forEach(vm -> present.addAll(Controls.evidenceOf(vm.controls())));
        List<Map<String, Object>> legend = new ArrayList<>();
        for (String e : Controls.evidence()) {
            if (present.contains(e)) {
                legend.add(Map.of("label", label(e), "controls",
                        String.join(", ", Controls.of(e).stream().map(Control::text).toList())));
            }
        }
        return legend;
    }

    private static String label(String evidence) {
        return LABELS.getOrDefault(evidence, evidence);
    }
}
