package io.jitguard.report;

import java.util.List;
import java.util.Locale;

/** The report as a readable summary for people. */
public final class ReportText {
    private ReportText() {
    }

    public static String summary(Report report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "jitguard %s%s (%s) %s%n", report.mode(),
                report.dryRun() ? ", dry run" : "", report.trigger(), report.startedAt()));
        for (SubscriptionReport s : report.subscriptions()) {
            MonitoringEffectReport m = s.monitoringEffect();
            out.append(String.format(Locale.ROOT, "subscription %s  defender %s  monitoring %s%n", s.id(),
                    s.defenderPlan() == null ? "?" : s.defenderPlan(),
                    monitoring(m)));
            if (s.error() != null) {
                out.append("  error: ").append(s.error()).append(System.lineSeparator());
            }
        }
        out.append(coverageTable(report.vms()));
        out.append(String.format(Locale.ROOT,
                "%d compliant, %d fixed, %d would-fix, %d unsupported, %d excluded, %d blocked, %d failed%n",
                report.count(VmStatus.COMPLIANT), report.count(VmStatus.FIXED), report.count(VmStatus.WOULD_FIX),
                report.count(VmStatus.UNSUPPORTED), report.count(VmStatus.EXCLUDED), report.count(VmStatus.BLOCKED),
                report.count(VmStatus.FAILED)));
        for (Failure f : report.failures()) {
            out.append(String.format(Locale.ROOT, "failed: %s: %s %s%s%n", f.target(), f.status(), f.message(),
                    f.retryable() ? " (retryable)" : ""));
        }
        out.append(String.format(Locale.ROOT, "writes: %d%s; ARM calls: %d reads, %d writes%n", report.writes().size(),
                report.plannedWrites().isEmpty() ? "" : " (" + report.plannedWrites().size() + " planned)",
                report.armCalls().reads(), report.armCalls().writes()));
        return out.toString();
    }

    /** One line a VM: status, resource group / name, and what changed or why not. */
    public static String coverageTable(List<VmReport> vms) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "  %-12s %-70s %s%n", "STATUS", "VM", "DETAIL"));
        for (VmReport vm : vms) {
            String detail = !vm.changes().isEmpty() ? String.join("; ", vm.changes())
                    : vm.reason() == null ? "" : vm.reason();
            out.append(String.format(Locale.ROOT, "  %-12s %-70s %s%n", vm.status().label(), shortId(vm.id()),
                    detail));
        }
        return out.toString();
    }

    /** {@code <subscription prefix>/<resource group>/<name>} of a resource id. */
    public static String shortId(String vmId) {
        String[] parts = vmId.split("/");
        if (parts.length >= 9) {
            return parts[2].substring(0, Math.min(8, parts[2].length())) + "/" + parts[4] + "/" + parts[parts.length - 1];
        }
        return vmId;
    }

    private static String monitoring(MonitoringEffectReport m) {
        if (m == null) {
            return "?";
        }
        if (m.status() == MonitoringStatus.NOT_IN_SCOPE) {
            return "not in this scope";
        }
        return m.status().label() + " (" + effect(m.before()) + " -> " + effect(m.after()) + ")"
                + (m.reason() == null ? "" : ": " + m.reason());
    }

    private static String effect(String value) {
        return value == null ? "default" : value;
    }
}
