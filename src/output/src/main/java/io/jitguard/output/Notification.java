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
        List<String> all = new ArrayList<>();
        long fixed = 0;
        long exposed = 0;
        for (VmReport vm : report.vms()) {
            if (!vm.changes().isEmpty() && vm.status() == VmStatus.FIXED) {
                fixed++;
            } else if (!vm.status().remains()) {
                continue;
            } else {
                exposed++;
            }
            String detail = Outcomes.detail(vm);
            all.add(vm.status().label() + ": " + ArmId.shortName(vm.id()) + (detail.isEmpty() ? "" : ": " + detail)
                    + Outcomes.protectedIn(vm));
        }
        for (SubscriptionReport s : report.subscriptions()) {
            MonitoringEffectReport m = s.monitoringEffect();
            if (m != null && (m.status() == MonitoringStatus.FIXED || m.status().remains())) {
                if (m.status() == MonitoringStatus.FIXED) {
                    fixed++;
                } else {
                    exposed++;
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
        Map<String, Long> totals = new LinkedHashMap<>();
        for (VmStatus s : VmStatus.values()) {
            long n = report.count(s);
            if (n > 0) {
                totals.put(s.label(), n);
            }
        }
        String title = String.format(Locale.ROOT, "jitguard %s%s (%s): %d fixed, %d exposed, %d failed",
                report.mode(), report.dryRun() ? ", dry run" : "", report.trigger(), fixed, exposed,
                report.failures().size());
        List<String> items = all.stream().limit(MAX_ITEMS).map(Notification::cut).toList();
        return Optional.of(new Notification(report, cut(title), totals, items, all.size() - items.size()));
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
        body.addObject().put("type", "TextBlock").put("text", title).put("weight", "Bolder").put("size", "Medium")
                .put("wrap", true);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        totals.forEach((k, v) -> facts.addObject().put("title", k).put("value", String.valueOf(v)));
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
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Adaptive Card TextBlock markdown: brackets and emphasis characters are escaped so a name cannot make a link. */
    static String teamsEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if ("\\[]()*_`~#>".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
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
