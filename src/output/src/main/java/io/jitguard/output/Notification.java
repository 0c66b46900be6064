package io.jitguard.output;

import io.jitguard.model.ArmId;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.report.Failure;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.Totals;
import io.jitguard.report.WorstFirst;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one message a run is worth: only when it fixed something, found exposure that remains, or failed; nothing for a
 * run with nothing to do. At most {@link #MAX_ITEMS} items are listed (then "and N more"), each cut at
 * {@link #MAX_ITEM_CHARS}, so a message stays well under {@link #MAX_BYTES} in every format.
 */
public final class Notification {
    public static final int MAX_ITEMS = 20;
    public static final int MAX_ITEM_CHARS = 300;
    public static final int MAX_BYTES = 25_000;
    /** Keys of the message's totals beside the status counts. */
    public static final String NEED_ACTION = "need action";
    public static final String COVERED = "covered";
    public static final String CLOSED = "closed";

    /** {@code JITGUARD_NOTIFY_FORMAT}. */
    public enum Format {
        JSON, SLACK, TEAMS;

        /** @throws IllegalArgumentException naming the value */
        public static Format parse(String value) {
            if (value == null || value.isBlank()) {
                return JSON;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("JITGUARD_NOTIFY_FORMAT '" + value
                        + "' is not one of json, slack, teams");
            }
        }
    }

    private final Report report;
    private final String title;
    private final Map<String, Long> totals;
    private final List<String> items;
    private final int more;

    private Notification(Report report, String title, Map<String, Long> totals, List<String> items, int more) {
        this.report = report;
        this.title = title;
        this.totals = totals;
        this.items = items;
        this.more = more;
    }

    /** The message for this run, or empty when there is nothing to tell (nothing fixed, remaining or failed). */
    public static Optional<Notification> of(Report report) {
        // only the first MAX_ITEMS lines are written out; the others are counted ("and N more")
        List<String> all = new ArrayList<>();
        int more = 0;
        for (VmReport vm : WorstFirst.sort(report.vms())) {
            boolean fixed = !vm.changes().isEmpty() && vm.status() == VmStatus.FIXED;
            if (!fixed && !vm.status().remains()) {
                continue;
            }
            if (all.size() >= MAX_ITEMS) {
                more++;
                continue;
            }
            String detail = Outcomes.detail(vm);
            if (vm.exposed() && !detail.contains(vm.exposure().summary())) {
                detail = (detail.isEmpty() ? "" : detail + "; ") + "exposed: " + vm.exposure().summary();
            }
            all.add(vm.status().label() + ": " + ArmId.shortName(vm.id()) + (detail.isEmpty() ? "" : ": " + detail)
                    + Outcomes.protectedIn(vm));
        }
        long monitoringFixed = 0;
        long monitoringOpen = 0;
        for (SubscriptionReport s : report.subscriptions()) {
            MonitoringEffectReport m = s.monitoringEffect();
            if (m != null && (m.status() == MonitoringStatus.FIXED || m.status().remains())) {
                if (m.status() == MonitoringStatus.FIXED) {
                    monitoringFixed++;
                } else {
                    monitoringOpen++;
                }
                all.add(m.status().label() + ": monitoring effect of subscription " + s.id() + " ("
                        + (m.before() == null ? "default" : m.before()) + " -> "
                        + (m.after() == null ? "default" : m.after()) + ")"
                        + (m.reason() == null ? "" : ": " + m.reason()));
            }
        }
        for (Failure f : report.failures()) {
            all.add("failed: " + f.target() + ": " + (f.status() == 0 ? "" : f.status() + " ") + f.code() + " "
                    + f.message() + (f.retryable() ? " (retryable)" : ""));
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        more += Math.max(0, all.size() - MAX_ITEMS);
        Totals t = report.totals();
        Map<String, Long> totals = new LinkedHashMap<>();
        t.vms().forEach((status, n) -> {
            if (n > 0) {
                totals.put(status, n);
            }
        });
        totals.put(NEED_ACTION, t.needsAction());
        totals.put(COVERED, t.covered());
        totals.put(CLOSED, t.closed());
        List<String> items = all.stream().limit(MAX_ITEMS).map(Notification::cut).toList();
        return Optional.of(new Notification(report, cut(title(report, t, monitoringFixed, monitoringOpen)), totals,
                items, more));
    }

    /**
     * The title, counted from the same totals the message lists: VMs needing action (and of them exposed), VMs fixed,
     * monitoring effects fixed or needing action, failures; a count of zero is left out.
     */
    static String title(Report report, Totals t, long monitoringFixed, long monitoringOpen) {
        List<String> parts = new ArrayList<>();
        long exposed = t.vms().getOrDefault(VmStatus.EXPOSED.label(), 0L);
        if (t.needsAction() > 0) {
            parts.add(t.needsAction() + " VM" + (t.needsAction() == 1 ? "" : "s") + " " + NEED_ACTION
                    + (exposed > 0 ? " (" + exposed + " " + VmStatus.EXPOSED.label() + ")" : ""));
        }
        long fixed = t.vms().getOrDefault(VmStatus.FIXED.label(), 0L);
        if (fixed > 0) {
            parts.add(fixed + " " + VmStatus.FIXED.label());
        }
        if (monitoringOpen > 0) {
            parts.add(monitoringOpen + " monitoring effect" + (monitoringOpen == 1 ? "" : "s") + " " + NEED_ACTION);
        }
        if (monitoringFixed > 0) {
            parts.add(monitoringFixed + " monitoring effect" + (monitoringFixed == 1 ? "" : "s") + " fixed");
        }
        if (t.failures() > 0) {
            parts.add(t.failures() + " failed");
        }
        return String.format(Locale.ROOT, "jitguard %s%s (%s): %s", report.mode(), report.dryRun() ? ", dry run" : "",
                report.trigger(), String.join(", ", parts));
    }

    public String title() {
        return title;
    }

    public List<String> items() {
        return items;
    }

    /** How many items were left out. */
    public int more() {
        return more;
    }

    public String render(Format format) {
        String body = switch (format) {
            case JSON -> json();
            case SLACK -> slack();
            case TEAMS -> teams();
        };
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalStateException("notification of " + body.length() + " characters exceeds the bound");
        }
        return body;
    }

    private String json() {
        ObjectNode root = ReportJson.mapper().createObjectNode();
        root.put("source", "jitguard");
        root.put("title", title);
        root.put("mode", report.mode());
        root.put("dryRun", report.dryRun());
        root.put("trigger", report.trigger());
        root.put("finishedAt", String.valueOf(report.finishedAt()));
        ObjectNode t = root.putObject("totals");
        totals.forEach(t::put);
        root.put("writes", report.writes().size());
        root.put("failures", report.failures().size());
        ArrayNode list = root.putArray("items");
        items.forEach(list::add);
        root.put("more", more);
        return root.toString();
    }

    /** Slack incoming webhook: {@code text} (the fallback) and blocks; each section well under 3,000 characters. */
    private String slack() {
        ObjectNode root = ReportJson.mapper().createObjectNode();
        root.put("text", slackEscape(title));
        ArrayNode blocks = root.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", title.length() > 150 ? title.substring(0, 147) + "..." : title);
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", slackEscape(totalsLine()));
        StringBuilder list = new StringBuilder();
        for (String item : items) {
            list.append("• ").append(slackEscape(item)).append('\n');
        }
        if (more > 0) {
            list.append("and ").append(more).append(" more");
        }
        // 20 items of at most 300 characters (escaped up to 5x for & < >) are split into sections of <= 2,900
        for (String chunk : chunks(list.toString(), 2_900)) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", chunk);
        }
        return root.toString();
    }

    /** A Teams Workflows webhook ("When a Teams webhook request is received"): an Adaptive Card 1.4 attachment. */
    private String teams() {
        ObjectNode root = ReportJson.mapper().createObjectNode();
        root.put("type", "message");
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", teamsEscape(title)).put("weight", "Bolder").put("size", "Medium")
                .put("wrap", true);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        totals.forEach((k, v) -> facts.addObject().put("title", k).put("value", String.valueOf(v)));
        facts.addObject().put("title", "failures").put("value", String.valueOf(report.failures().size()));
        facts.addObject().put("title", "writes").put("value", String.valueOf(report.writes().size()));
        for (String item : items) {
            body.addObject().put("type", "TextBlock").put("text", teamsEscape(item)).put("wrap", true)
                    .put("spacing", "Small");
        }
        if (more > 0) {
            body.addObject().put("type", "TextBlock").put("text", "and " + more + " more").put("wrap", true)
                    .put("isSubtle", true);
        }
        return root.toString();
    }

    private String totalsLine() {
        List<String> parts = new ArrayList<>();
        totals.forEach((k, v) -> parts.add(v + " " + k));
        parts.add(report.writes().size() + " writes");
        return String.join(", ", parts);
    }

    private static String cut(String s) {
        return s.length() <= MAX_ITEM_CHARS ? s : s.substring(0, MAX_ITEM_CHARS - 3) + "...";
    }

    /** Slack's mrkdwn control characters: {@code & < >} are escaped, so a name cannot make a link or a mention. */
    static String slackEscape(String s) {
        return Text.visible(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Adaptive Card TextBlock markdown (a CommonMark subset: {@code **bold**}, {@code _italic_}, lists, {@code [link](url)})
     * and its DATE and TIME functions: control characters are made visible (no new line can start a list),
     * {@code * [ ]} are escaped, {@code _} only where it could open or close emphasis (not inside a word such as
     * {@code vm_web_1}), a backslash only before punctuation (where CommonMark would take it as an escape), and
     * two opening braces are split so they cannot start a function. Nothing else is touched.
     */
    static String teamsEscape(String s) {
        String v = Text.visible(s).replace("{{", "{\u200B{");
        StringBuilder out = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean escape = switch (c) {
                case '*', '[', ']' -> true;
                case '_' -> !(i > 0 && Character.isLetterOrDigit(v.charAt(i - 1)) && i + 1 < v.length()
                        && Character.isLetterOrDigit(v.charAt(i + 1)));
                case '\\' -> i + 1 < v.length() && isAsciiPunctuation(v.charAt(i + 1));
                default -> false;
            };
            if (escape) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isAsciiPunctuation(char c) {
        return c < 128 && !Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && !Character.isISOControl(c);
    }

    private static List<String> chunks(String text, int max) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (current.length() + line.length() + 1 > max && current.length() > 0) {
                out.add(current.toString());
                current.setLength(0);
            }
            current.append(line.length() > max ? line.substring(0, max) : line).append('\n');
        }
        if (current.length() > 0) {
            out.add(current.toString().stripTrailing());
        }
        return out;
    }
}
