package io.jitguard.report;

import io.jitguard.model.ArmId;
import java.util.List;
import java.util.Locale;

/**
 * The report as a readable summary for people. Every text that comes from the estate or from ARM (ids, reasons,
 * notes, error messages) goes through {@link SafeText#oneLine}: one VM stays one line.
 */
public final class ReportText {
    private ReportText() {
    }

    public static String summary(Report report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "jitguard %s%s (%s) %s%n", report.mode(),
                report.dryRun() ? ", dry run" : "", report.trigger(),
                report.startedAt()));
        for (SubscriptionReport s : report.subscriptions()) {
            MonitoringEffectReport m = s.monitoringEffect();
            List<Failure> missing = report.failures().stream().filter(Failure::notFound)
                    .filter(f -> f.target() != null && ArmId.key(f.target())
                            .startsWith(ArmId.subscription(s.id()).key() + "/")).toList();
            if (m == null && s.defenderPlan() == null && !missing.isEmpty()) {
                // nothing of the subscription was read: the scope does not exist, say only that
                missing.forEach(f -> out.append("scope not found: ").append(SafeText.oneLine(f.target()))
                        .append(System.lineSeparator()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "subscription %s  defender %s  monitoring %s%n", s.id(),
                    s.defenderPlan() == null ? "?" : s.defenderPlan(),
                    monitoring(m)));
            if (s.error() != null) {
                out.append("  error: ").append(SafeText.oneLine(s.error())).append(System.lineSeparator());
            }
        }
        out.append(coverageTable(WorstFirst.sort(report.vms())));
        out.append(countLine(report.totals()));
        for (Failure f : report.failures()) {
            out.append(String.format(Locale.ROOT, "failed: %s: %s %s%s%s%n", SafeText.oneLine(f.target()), f.status(),
                    SafeText.oneLine(f.message()),
                    f.retryable() ? " (retryable)" : "",
                    f.retryAfter() == null ? "" : " (ARM asks to retry after " + f.retryAfter() + " s)"));
        }
        out.append(String.format(Locale.ROOT, "writes: %d%s; ARM calls: %d reads, %d writes%n", report.writes().size(),
                report.plannedWrites().isEmpty() ? "" : " (" + report.plannedWrites().size() + " planned)",
                report.armCalls().reads(), report.armCalls().writes()));
        return out.toString();
    }

    /**
     * The count lines: subscriptions and scopes (unreadable and missing ones included), VMs by status, monitoring
     * findings and failures, so that what could not be read never disappears from the count.
     */
    public static String countLine(Totals t) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d subscription%s%s, %d scope%s (%d unreadable, %d not found)%s%n",
                t.subscriptions(), t.subscriptions() == 1 ? "" : "s",
                t.unreadableSubscriptions() == 0 ? "" : " (" + t.unreadableSubscriptions() + " unreadable)", t.scopes(),
                t.scopes() == 1 ? "" : "s", t.unreadableScopes(), t.notFoundScopes(),
                t.unfinished() == 0 ? "" : ", " + t.unfinished() + " left unfinished (time budget spent)"));
        StringBuilder vms = new StringBuilder();
        t.vms().forEach((status, n) -> vms.append(vms.length() == 0 ? "" : ", ").append(n).append(' ').append(status));
        out.append(vms).append(String.format(Locale.ROOT, "%n"));
        out.append(headline(t)).append(String.format(Locale.ROOT, "%n"));
        StringBuilder monitoring = new StringBuilder();
        t.monitoring().forEach((status, n) -> {
            if (n > 0 && !status.equals(MonitoringStatus.NOT_IN_SCOPE.label())) {
                monitoring.append(monitoring.length() == 0 ? "" : ", ").append(n).append(' ').append(status);
            }
        });
        out.append(String.format(Locale.ROOT, "monitoring: %s; failures: %d%n",
                monitoring.length() > 0 ? monitoring
                        : t.monitoring().getOrDefault(MonitoringStatus.NOT_IN_SCOPE.label(), 0L) > 0
                        ? "not in this scope" : "none read", t.failures()));
        return out.toString();
    }

    /**
     * What needs doing, in one line: VMs needing action (each once), covered (in a JIT policy with the baseline) and,
     * of those, closed (not exposed), and excluded. Exposed VMs are covered but not closed.
     */
    public static String headline(Totals t) {
        return String.format(Locale.ROOT, "%d VM%s need%s action; %d covered, %d closed (covered and not exposed); "
                        + "%d excluded", t.needsAction(), t.needsAction() == 1 ? "" : "s",
                t.needsAction() == 1 ? "s" : "", t.covered(), t.closed(), t.excluded());
    }

    /**
     * One line a VM: status, resource group / name, and what changed or why not, then its notes (an expired or
     * refused exclusion, with the tag's value).
     */
    public static String coverageTable(List<VmReport> vms) {
        StringBuilder out = new StringBuilder(128 * (vms.size() + 1));
        String newline = System.lineSeparator();
        line(out, "STATUS", "VM", "DETAIL", newline);
        for (VmReport vm : vms) {
            String detail = !vm.changes().isEmpty() ? String.join("; ", vm.changes())
                    : vm.reason() == null ? "" : vm.reason();
            if (vm.exposed() && !detail.contains(vm.exposure().summary())) {
                detail = (detail.isEmpty() ? "" : detail + "; ") + "exposed: " + vm.exposure().summary();
            }
            for (String note : vm.notes()) {
                detail = (detail.isEmpty() ? "" : detail + "; ") + note;
            }
            line(out, vm.status().label(), SafeText.oneLine(shortId(vm.id())), SafeText.oneLine(detail), newline);
        }
        return out.toString();
    }

    /** {@code String.format("  %-12s %-70s %s%n", ...)}, without parsing the format once per VM. */
    private static void line(StringBuilder out, String status, String vm, String detail, String newline) {
        out.append("  ");
        padded(out, status, 12).append(' ');
        padded(out, vm, 70).append(' ').append(detail).append(newline);
    }

    private static StringBuilder padded(StringBuilder out, String value, int width) {
        out.append(value);
        for (int i = value.length(); i < width; i++) {
            out.append(' ');
        }
        return out;
    }

    /** {@link ArmId#shortName(String)} of a resource id: {@code <resource group>/<name>}. */
    public static String shortId(String vmId) {
        return ArmId.shortName(vmId);
    }

    private static String monitoring(MonitoringEffectReport m) {
        if (m == null) {
            return "?";
        }
        if (m.status() == MonitoringStatus.NOT_IN_SCOPE) {
            return "not in this scope";
        }
        String change = java.util.Objects.equals(m.before(), m.after()) ? effect(m.before())
                : effect(m.before()) + " -> " + effect(m.after());
        return m.status().label() + " (" + SafeText.oneLine(change) + ")"
                + (m.reason() == null ? "" : ": " + SafeText.oneLine(m.reason()));
    }

    private static String effect(String value) {
        return value == null ? "initiative default" : value;
    }
}
