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

    /** The row's kinds of evidence ({@link Controls#evidenceOf}), space-separated, for {@code data-evidence}. */
    static String evidence(List<String> evidence) {
        return String.join(" ", evidence);
    }

    /** The row's cell text, e.g. {@code JIT · SSH from Internet}. */
    static String cell(List<String> evidence) {
        return evidence.size() == 1 ? label(evidence.get(0))
                : String.join(" · ", evidence.stream().map(HtmlControls::label).toList());
    }

    /** The kinds of evidence the report's VMs give (each distinct list of controls looked at once). */
    static Set<String> present(Report report) {
        Set<String> present = new LinkedHashSet<>();
        Set<List<Control>> read = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        report.vms().forEach(vm -> {
            if (read.add(vm.controls())) {
                present.addAll(Controls.evidenceOf(vm.controls()));
            }
        });
        return present;
    }

    /**
     * The filter's options, grouped by standard: each control of the kinds of evidence {@code present}, its value the
     * kinds of evidence that hold it (space-separated).
     */
    static List<Map<String, Object>> options(Set<String> present) {
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

    /** What each kind of evidence {@code present} stands for: its label and its controls ({@code standard label}). */
    static List<Map<String, Object>> legend(Set<String> present) {
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
