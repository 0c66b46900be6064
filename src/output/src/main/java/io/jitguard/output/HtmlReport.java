package io.jitguard.output;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.jitguard.baseline.Baseline;
import io.jitguard.report.Failure;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.PlannedChange;
import io.jitguard.report.Report;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML page (inline CSS, inline SVG, a small inline script; a Content-Security-Policy
 * that allows no fetch at all), readable from disk, in print and without JavaScript.
 *
 * <p>Every value goes through the JMustache template's HTML escaping ({@code & < > " ' ` =}), in text and in attributes
 * alike; the template has no unescaped ({@code {{{ }}}}) tag. The script holds no data: it sorts and filters the rows
 * already in the DOM.
 */
public final class HtmlReport {
    private static final String TEMPLATE_TEXT = templateText();
    private static final Template TEMPLATE = Mustache.compiler().escapeHTML(true).emptyStringIsFalse(true)
            .defaultValue("").compile(TEMPLATE_TEXT);
    /** The CSP hash of the page's one inline script, which holds no template tag, so it renders as written. */
    private static final String SCRIPT_HASH = scriptHash(TEMPLATE_TEXT);
    private static final String[] PASS_COLOURS = {"#2e7d32", "#66bb6a", "#1b5e20"};
    private static final String[] FINDING_COLOURS = {"#c62828", "#ef6c00", "#ad1457", "#6a1b9a", "#d84315",
            "#f9a825"};
    private static final String[] OTHER_COLOURS = {"#757575", "#90a4ae", "#546e7a", "#bdbdbd"};
    private static final int CHART_WIDTH = 560;

    private HtmlReport() {
    }

    private static String templateText() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.html.mustache")) {
            if (in == null) {
                throw new IllegalStateException("report.html.mustache is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String scriptHash(String template) {
        int start = template.indexOf("<script>") + "<script>".length();
        int end = template.indexOf("</script>", start);
        String script = template.substring(start, end);
        if (script.contains("{{")) {
            throw new IllegalStateException("the report's script must hold no template tag");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param baseline the baseline the run used, shown in the header; null when unknown */
    public static String write(Report report, Baseline baseline) {
        return TEMPLATE.execute(model(report, baseline));
    }

    static Map<String, Object> model(Report report, Baseline baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scriptHash", SCRIPT_HASH);
        m.put("mode", report.mode());
        m.put("dryRun", report.dryRun());
        m.put("trigger", report.trigger());
        m.put("startedAt", String.valueOf(report.startedAt()));
        m.put("finishedAt", String.valueOf(report.finishedAt()));
        if (report.startedAt() != null && report.finishedAt() != null) {
            m.put("duration", Duration.between(report.startedAt(), report.finishedAt()).toMillis() + " ms");
        }
        m.put("scopes", report.scopes());
        if (baseline != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("ports", baseline.ports().stream().map(String::valueOf).collect(Collectors.joining(", ")));
            b.put("maxDuration", baseline.maxDuration().toString());
            b.put("sources", String.join(", ", baseline.sourcePrefixes()));
            b.put("protocol", baseline.protocol());
            b.put("exclusionTag", baseline.exclusionTag());
            b.put("subscriptions", baseline.subscriptions().isEmpty() ? "every subscription the identity can list"
                    : String.join(", ", baseline.subscriptions()));
            m.put("baseline", b);
        }
        Map<VmStatus, String> colours = colours();
        m.put("legend", legend(colours));
        m.put("totals", totals(report, colours));
        m.put("totalsHeight", VmStatus.values().length * 26);
        m.put("vmCount", report.vms().size());
        m.put("subscriptionCoverage", coverage(report, colours));
        m.put("vms", report.vms().stream().map(HtmlReport::vmRow).toList());
        m.put("statuses", java.util.Arrays.stream(VmStatus.values()).map(VmStatus::label).toList());
        m.put("controlGroups", HtmlControls.options(report));
        m.put("controlLegend", HtmlControls.legend(report));
        m.put("hasControlLegend", !HtmlControls.legend(report).isEmpty());
        m.put("monitoring", report.subscriptions().stream().map(HtmlReport::monitoringRow).toList());
        m.put("writes", report.writes());
        m.put("hasWrites", !report.writes().isEmpty());
        m.put("hasPlannedWrites", !report.plannedWrites().isEmpty());
        m.put("hasFailures", !report.failures().isEmpty());
        m.put("plannedWrites", report.plannedWrites());
        m.put("plannedChanges", report.plannedChanges().stream().map(HtmlReport::plannedChange).toList());
        m.put("failures", report.failures().stream().map(HtmlReport::failureRow).toList());
        m.put("armReads", report.armCalls() == null ? 0 : report.armCalls().reads());
        m.put("armWrites", report.armCalls() == null ? 0 : report.armCalls().writes());
        return m;
    }

    /** A colour a status, by what it means (pass, finding, other), so a new status gets one too. */
    static Map<VmStatus, String> colours() {
        Map<VmStatus, String> colours = new EnumMap<>(VmStatus.class);
        int pass = 0;
        int finding = 0;
        int other = 0;
        for (VmStatus s : VmStatus.values()) {
            colours.put(s, switch (Outcomes.of(s)) {
                case PASS -> PASS_COLOURS[pass++ % PASS_COLOURS.length];
                case FINDING -> FINDING_COLOURS[finding++ % FINDING_COLOURS.length];
                case OTHER -> OTHER_COLOURS[other++ % OTHER_COLOURS.length];
            });
        }
        return colours;
    }

    private static List<Map<String, Object>> legend(Map<VmStatus, String> colours) {
        List<Map<String, Object>> legend = new ArrayList<>();
        colours.forEach((s, c) -> legend.add(Map.of("label", s.label(), "colour", c)));
        return legend;
    }

    private static List<Map<String, Object>> totals(Report report, Map<VmStatus, String> colours) {
        long max = 1;
        for (VmStatus s : VmStatus.values()) {
            max = Math.max(max, report.count(s));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (VmStatus s : VmStatus.values()) {
            long n = report.count(s);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", s.label());
            row.put("kind", Outcomes.of(s).css);
            row.put("count", n);
            row.put("colour", colours.get(s));
            row.put("y", i * 26);
            row.put("textY", i * 26 + 15);
            long width = n == 0 ? 0 : Math.max(2, Math.round((double) n / max * CHART_WIDTH));
            row.put("width", width);
            row.put("countX", 130 + width + 8);
            rows.add(row);
            i++;
        }
        return rows;
    }

    private static List<Map<String, Object>> coverage(Report report, Map<VmStatus, String> colours) {
        Map<String, Map<VmStatus, Long>> bySubscription = new LinkedHashMap<>();
        report.subscriptions().forEach(s -> bySubscription.put(s.id().toLowerCase(Locale.ROOT),
                new EnumMap<>(VmStatus.class)));
        for (VmReport vm : report.vms()) {
            bySubscription.computeIfAbsent(Outcomes.subscriptionOf(vm.id()).toLowerCase(Locale.ROOT),
                    k -> new EnumMap<>(VmStatus.class)).merge(vm.status(), 1L, Long::sum);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        bySubscription.forEach((id, counts) -> {
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long pass = counts.entrySet().stream().filter(e -> Outcomes.of(e.getKey()) == Outcomes.Kind.PASS)
                    .mapToLong(Map.Entry::getValue).sum();
            long findings = counts.entrySet().stream().filter(e -> Outcomes.of(e.getKey()) == Outcomes.Kind.FINDING)
                    .mapToLong(Map.Entry::getValue).sum();
            List<Map<String, Object>> segments = new ArrayList<>();
            double x = 0;
            for (VmStatus s : VmStatus.values()) {
                long n = counts.getOrDefault(s, 0L);
                if (n == 0) {
                    continue;
                }
                double w = 100.0 * n / total;
                segments.add(Map.of("x", pct(x), "width", pct(w), "colour", colours.get(s), "label", s.label(),
                        "count", n));
                x += w;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("total", total);
            row.put("covered", pass);
            row.put("percent", pass + findings == 0 ? "n/a"
                    : String.format(Locale.ROOT, "%.0f%%", 100.0 * pass / (pass + findings)));
            row.put("segments", segments);
            row.put("counts", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                    .collect(Collectors.joining(", ")));
            rows.add(row);
        });
        return rows;
    }

    private static String pct(double value) {
        return String.format(Locale.ROOT, "%.3f%%", value);
    }

    private static Map<String, Object> vmRow(VmReport vm) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", vm.id());
        row.put("name", Outcomes.nameOf(vm.id()));
        row.put("resourceGroup", Outcomes.resourceGroupOf(vm.id()));
        row.put("subscription", Outcomes.subscriptionOf(vm.id()));
        row.put("status", vm.status().label());
        row.put("kind", Outcomes.of(vm.status()).css);
        row.put("reason", vm.reason() == null ? "" : vm.reason());
        row.put("changes", vm.changes());
        row.put("hasChanges", !vm.changes().isEmpty());
        java.util.List<String> exposure = new java.util.ArrayList<>();
        if (vm.exposure() != null) {
            vm.exposure().ports().forEach(p -> exposure.add(p.text()));
            exposure.addAll(vm.exposure().notes());
        }
        row.put("exposure", exposure);
        row.put("hasExposure", !exposure.isEmpty());
        java.util.List<String> exclusion = new java.util.ArrayList<>();
        if (vm.exclusion() != null) {
            exclusion.add(Outcomes.exclusion(vm));
        }
        exclusion.addAll(vm.notes());
        row.put("exclusion", exclusion);
        row.put("policy", vm.policyId() == null ? "" : Outcomes.nameOf(vm.policyId()));
        row.put("policyId", vm.policyId() == null ? "" : vm.policyId());
        row.put("evidence", HtmlControls.evidence(vm));
        row.put("controls", HtmlControls.cell(vm));
        return row;
    }

    private static Map<String, Object> monitoringRow(SubscriptionReport s) {
        MonitoringEffectReport m = s.monitoringEffect();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", s.id());
        row.put("defenderPlan", s.defenderPlan() == null ? "unknown" : s.defenderPlan());
        row.put("status", m == null ? "unknown" : m.status().label());
        row.put("kind", m == null ? "other" : Outcomes.of(m.status()).css);
        row.put("before", m == null ? "" : m.before() == null ? "default (absent)" : m.before());
        row.put("after", m == null ? "" : m.after() == null ? "default (absent)" : m.after());
        row.put("reason", m == null || m.reason() == null ? "" : m.reason());
        row.put("error", s.error() == null ? "" : s.error());
        return row;
    }

    private static Map<String, Object> plannedChange(PlannedChange c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", c.target());
        row.put("creates", c.before() == null);
        List<JsonDiff.Line> lines = JsonDiff.diff(c.before(), c.after());
        row.put("added", lines.stream().filter(l -> l.op() == JsonDiff.Op.ADD).count());
        row.put("removed", lines.stream().filter(l -> l.op() == JsonDiff.Op.REMOVE).count());
        row.put("lines", lines.stream().map(l -> Map.of("css", l.css(), "sign", l.sign(), "text", l.text()))
                .toList());
        return row;
    }

    private static Map<String, Object> failureRow(Failure f) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", f.target());
        row.put("status", f.status() == 0 ? "no answer" : String.valueOf(f.status()));
        row.put("code", f.code() == null ? "" : f.code());
        row.put("message", f.message() == null ? "" : f.message());
        row.put("retryable", f.retryable() ? "yes" : "no");
        return row;
    }
}
