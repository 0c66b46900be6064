package io.jitguard.output;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.jitguard.baseline.Baseline;
import io.jitguard.report.DocumentChanges;
import io.jitguard.report.Failure;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.Totals;
import io.jitguard.report.WorstFirst;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.PlannedChange;
import io.jitguard.report.Report;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
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
 * <p>Every value goes through the template's HTML escaping ({@link #escape}: {@code & < > " ' ` =}, as JMustache's
 * own), in text and in attributes alike; the template has no unescaped ({@code {{{ }}}}) tag. The script holds no
 * data: it sorts and filters the rows already in the DOM.
 */
public final class HtmlReport {
    private static final String TEMPLATE_TEXT = templateText();
    private static final Template TEMPLATE = Mustache.compiler().withEscaper(HtmlReport::escape)
            .emptyStringIsFalse(true).defaultValue("").compile(TEMPLATE_TEXT);
    /** The CSP hash of the page's one inline script, which holds no template tag, so it renders as written. */
    private static final String SCRIPT_HASH = scriptHash(TEMPLATE_TEXT);
    private static final String[] PASS_COLOURS = {"#2e7d32", "#66bb6a", "#1b5e20"};
    private static final String[] FINDING_COLOURS = {"#c62828", "#ef6c00", "#ad1457", "#6a1b9a", "#d84315",
            "#f9a825"};
    private static final String[] OTHER_COLOURS = {"#757575", "#90a4ae", "#546e7a", "#bdbdbd"};
    private static final int CHART_WIDTH = 560;
    /** A planned write with more changes than this is shown collapsed. */
    private static final int OPEN_CHANGES = 50;

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

    /**
     * A value as HTML text or attribute value: {@code & < > " ' ` =} written as JMustache's HTML escaper writes them
     * ({@code &amp; &lt; &gt; &quot; &#39; &#x60; &#x3D;}), in one pass over the value instead of one per character.
     */
    static String escape(String raw) {
        return io.jitguard.report.SafeText.replaceEach(raw, HtmlReport::entity);
    }

    private static String entity(int c) {
        return switch (c) {
            case '&' -> "&amp;";
            case '\'' -> "&#39;";
            case '"' -> "&quot;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '`' -> "&#x60;";
            case '=' -> "&#x3D;";
            default -> null;
        };
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

    /**
     * The same page written to {@code out} as UTF-8 as the template runs; the VM rows are made one at a time as they
     * are written, so the page's text and its 10,000 rows are never all in memory. {@code out} is flushed, not closed.
     */
    static void write(Report report, Baseline baseline, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        try {
            TEMPLATE.execute(model(report, baseline), writer);
        } catch (MustacheException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
        writer.flush();
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
        Totals totals = report.totals();
        Map<VmStatus, String> colours = colours();
        m.put("legend", legend(colours));
        m.put("totals", totals(report, colours));
        m.put("totalsHeight", VmStatus.values().length * 26);
        m.put("vmCount", report.vms().size());
        // each VM id parsed once for the page (its coverage line and its row)
        Map<VmReport, Outcomes.Parts> parts = new java.util.IdentityHashMap<>(report.vms().size() * 2);
        report.vms().forEach(vm -> parts.put(vm, Outcomes.Parts.of(vm.id())));
        m.put("subscriptionCoverage", coverage(report, parts, colours));
        m.put("headline", headline(report, totals));
        List<VmReport> worstFirst = WorstFirst.sort(report.vms());
        // rows made as the template writes them (an Iterable is read anew for each section that names it)
        Map<String, String> policyNames = new java.util.HashMap<>();
        Iterable<Map<String, Object>> rows = () -> worstFirst.stream().map(vm -> vmRow(vm, parts.get(vm), policyNames))
                .iterator();
        m.put("vms", rows);
        m.put("statuses", java.util.Arrays.stream(VmStatus.values()).map(VmStatus::label).toList());
        java.util.Set<String> evidence = HtmlControls.present(report);
        m.put("controlGroups", HtmlControls.options(evidence));
        List<Map<String, Object>> legend = HtmlControls.legend(evidence);
        m.put("controlLegend", legend);
        m.put("hasControlLegend", !legend.isEmpty());
        m.put("monitoring", report.subscriptions().stream().map(HtmlReport::monitoringRow).toList());
        m.put("writes", report.writes().stream().map(Text::visible).toList());
        m.put("hasWrites", !report.writes().isEmpty());
        m.put("hasPlannedWrites", !report.plannedWrites().isEmpty());
        m.put("hasFailures", !report.failures().isEmpty());
        m.put("plannedWrites", report.plannedWrites().stream().map(Text::visible).toList());
        Map<String, String> vmNames = new java.util.HashMap<>(parts.size() * 2);
        parts.forEach((vm, p) -> vmNames.put(vm.id(), p.name()));
        m.put("plannedChanges", report.plannedChanges().stream().map(c -> plannedChange(c, vmNames)).toList());
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

    private static List<Map<String, Object>> coverage(Report report, Map<VmReport, Outcomes.Parts> parts,
                                                      Map<VmStatus, String> colours) {
        Map<String, long[]> coveredClosed = new java.util.HashMap<>();
        Map<String, Map<VmStatus, Long>> bySubscription = new LinkedHashMap<>();
        report.subscriptions().forEach(s -> bySubscription.put(s.id().toLowerCase(Locale.ROOT),
                new EnumMap<>(VmStatus.class)));
        for (VmReport vm : report.vms()) {
            String subscription = parts.get(vm).subscription().toLowerCase(Locale.ROOT);
            long[] cc = coveredClosed.computeIfAbsent(subscription, k -> new long[2]);
            cc[0] += vm.covered() ? 1 : 0;
            cc[1] += vm.closed() ? 1 : 0;
            bySubscription.computeIfAbsent(subscription, k -> new EnumMap<>(VmStatus.class))
                    .merge(vm.status(), 1L, Long::sum);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        bySubscription.forEach((id, counts) -> {
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long[] cc = coveredClosed.getOrDefault(id, new long[2]);
            long excluded = counts.getOrDefault(VmStatus.EXCLUDED, 0L);
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
            row.put("covered", cc[0]);
            row.put("closed", cc[1]);
            row.put("percent", total - excluded == 0 ? "n/a"
                    : String.format(Locale.ROOT, "%.0f%%", 100.0 * cc[1] / (total - excluded)));
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

    /** @param policyNames the names of the policies seen so far, by id (a thousand policies cover 10,000 VMs) */
    private static Map<String, Object> vmRow(VmReport vm, Outcomes.Parts id, Map<String, String> policyNames) {
        Map<String, Object> row = new java.util.HashMap<>(32);
        row.put("subscription", Text.visible(id.subscription()));
        row.put("name", Text.cell(id.name(), Text.SHORT, Text.NAME_TITLE_FROM));
        row.put("resourceGroup", Text.cell(id.resourceGroup(), Text.SHORT, Text.NAME_TITLE_FROM));
        row.put("status", vm.status().label());
        row.put("severity", vm.exposed() && vm.exposure().severity() != null ? vm.exposure().severity() : "");
        row.put("kind", Outcomes.of(vm.status()).css);
        row.put("rank", WorstFirst.rank(vm));
        row.put("reason", Text.cell(vm.reason() == null ? "" : vm.reason(), Text.LONG, Text.TEXT_TITLE_FROM));
        row.put("changes", vm.changes().isEmpty() ? List.of()
                : List.of(Text.cell(String.join("; ", vm.changes()), Text.LONG, Text.TEXT_TITLE_FROM)));
        List<Map<String, Object>> exposure = new ArrayList<>();
        if (vm.exposure() != null) {
            vm.exposure().ports().forEach(p -> exposure.add(Text.cell(p.text(), Text.LONG, Text.TEXT_TITLE_FROM)));
            vm.exposure().notes().forEach(n -> exposure.add(Text.cell(n, Text.LONG, Text.TEXT_TITLE_FROM)));
        }
        row.put("exposure", exposure);
        List<Map<String, Object>> exclusion = new ArrayList<>();
        if (vm.exclusion() != null) {
            exclusion.add(Text.cell(Outcomes.exclusion(vm), Text.LONG, Text.TEXT_TITLE_FROM));
        }
        vm.notes().forEach(n -> exclusion.add(Text.cell(n, Text.LONG, Text.TEXT_TITLE_FROM)));
        row.put("exclusion", exclusion);
        row.put("policy", Text.cell(vm.policyId() == null ? ""
                : policyNames.computeIfAbsent(vm.policyId(), Outcomes::nameOf), Text.SHORT, Text.NAME_TITLE_FROM));
        List<String> evidence = io.jitguard.report.Controls.evidenceOf(vm.controls());
        row.put("evidence", HtmlControls.evidence(evidence));
        row.put("controls", HtmlControls.cell(evidence));
        return row;
    }

    /**
     * The first thing on the page: how many VMs need action and why (each VM once, by status, with the exposed ones
     * split by severity), how many are covered and how many of those closed, and who is excluded until when.
     */
    static Map<String, Object> headline(Report report, Totals totals) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("needsAction", totals.needsAction());
        h.put("vms", report.vms().size());
        h.put("covered", totals.covered());
        h.put("closed", totals.closed());
        h.put("excluded", totals.excluded());
        // each VM once, under the first reason it needs action (worst first), so the lines add up to the headline
        java.util.TreeMap<Integer, Map<String, Object>> byRank = new java.util.TreeMap<>();
        for (VmReport vm : report.vms()) {
            if (!vm.status().remains()) {
                continue;
            }
            int rank = WorstFirst.rank(vm);
            String label = rank == 0 ? "exposed, HIGH (open from the Internet to a public IP)"
                    : rank == 1 ? "exposed" : vm.status().label();
            Map<String, Object> line = byRank.computeIfAbsent(rank * 100 + vm.status().ordinal() * (rank > 1 ? 1 : 0),
                    k -> new LinkedHashMap<>(Map.of("count", 0L, "label", label, "kind", "vm")));
            line.put("count", (Long) line.get("count") + 1);
        }
        List<Map<String, Object>> actions = new ArrayList<>(byRank.values());
        long monitoring = totals.monitoring().entrySet().stream()
                .filter(e -> java.util.Arrays.stream(MonitoringStatus.values())
                        .anyMatch(s -> s.label().equals(e.getKey()) && s.remains()))
                .mapToLong(Map.Entry::getValue).sum();
        if (monitoring > 0) {
            actions.add(Map.of("count", monitoring, "label", "subscription" + (monitoring == 1 ? "" : "s")
                    + " with the JIT audit off or unknown", "kind", "monitoring"));
        }
        if (totals.failures() > 0) {
            actions.add(Map.of("count", (long) totals.failures(), "label", "failure" + (totals.failures() == 1 ? ""
                    : "s") + " (see Failures)", "kind", "failure"));
        }
        h.put("actions", actions);
        h.put("nothingToDo", actions.isEmpty());
        java.util.TreeMap<String, Long> until = new java.util.TreeMap<>();
        for (VmReport vm : report.vms()) {
            if (vm.status() == VmStatus.EXCLUDED) {
                String day = vm.exclusion() == null || vm.exclusion().until() == null ? "with no end date"
                        : "until " + vm.exclusion().until();
                until.merge(day, 1L, Long::sum);
            }
        }
        h.put("excludedUntil", until.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ")));
        return h;
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
        row.put("reason", Text.cell(m == null || m.reason() == null ? "" : m.reason(), Text.LONG, Text.TEXT_TITLE_FROM));
        row.put("error", s.error() == null ? "" : Text.visible(Text.cut(s.error(), Text.LONG)));
        return row;
    }

    /**
     * A planned write as its changes per VM entry ({@link DocumentChanges}), the same change to many entries on one
     * line with the VMs' names (a new policy of 200 VMs is one line, not 200); the documents are in the JSON.
     *
     * @param vmNames the report's VMs' names by id (an entry's VM is looked up, not parsed again)
     */
    private static Map<String, Object> plannedChange(PlannedChange c, Map<String, String> vmNames) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", Text.visible(c.target()));
        row.put("creates", c.before() == null);
        List<DocumentChanges.Change> changes = c.changes();
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        Map<String, String> ops = new java.util.HashMap<>();
        for (DocumentChanges.Change ch : changes) {
            String what = new DocumentChanges.Change(ch.op(), null, ch.port(), ch.path(), ch.from(), ch.to()).text();
            grouped.computeIfAbsent(what, k -> new ArrayList<>()).add(ch.vm() == null ? null
                    : vmNames.computeIfAbsent(ch.vm(), DocumentChanges::vmName));
            ops.put(what, ch.op());
        }
        row.put("count", changes.size());
        row.put("open", grouped.size() <= OPEN_CHANGES);
        List<Map<String, Object>> lines = new ArrayList<>();
        grouped.forEach((what, vms) -> {
            List<String> names = vms.stream().filter(java.util.Objects::nonNull).toList();
            String text = names.isEmpty() ? what : what + " \u2014 " + names.size() + " VM" + (names.size() == 1 ? ""
                    : "s") + ": " + String.join(", ", names);
            lines.add(Map.of("op", ops.get(what), "count", vms.size(), "text", Text.cell(text, Text.LONG * 4,
                    Text.TEXT_TITLE_FROM)));
        });
        row.put("changes", lines);
        return row;
    }

    private static Map<String, Object> failureRow(Failure f) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", Text.cell(f.target() == null ? "" : f.target(), Text.SHORT, Text.NAME_TITLE_FROM));
        row.put("status", f.status() == 0 ? "no answer" : String.valueOf(f.status()));
        row.put("code", f.code() == null ? "" : f.code());
        row.put("message", Text.cell(f.message() == null ? "" : f.message(), Text.LONG, Text.TEXT_TITLE_FROM));
        row.put("retryable", f.retryable() ? "yes" : "no");
        return row;
    }
}
