package io.jitguard.functions;

import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.Scope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The decision log's words for what a {@link Report} says about one scope: what jitguard found there and what it
 * did. The result and its reason are not decided here: they are the scope's {@link ScopeOutcome}, computed once by
 * core's {@link ScopeOutcomes}.
 */
final class Findings {
    /** Up to this many VMs are named one by one in a finding; more are counted by status. */
    static final int NAMED_VMS = 3;

    private Findings() {
    }

    /** {@code decision} with the scope, the finding and the action of {@code report}, ended by {@code outcome}. */
    static Decision describe(Decision decision, Report report, Scope scope, ScopeOutcome outcome) {
        List<VmReport> vms = report.vms().stream().filter(v -> ScopeOutcomes.within(v.id(), scope)).toList();
        List<String> writes = ScopeOutcomes.writes(report, scope);
        List<String> planned = ScopeOutcomes.plannedWrites(report, scope);
        MonitoringEffectReport monitoring = ScopeOutcomes.monitoring(report, scope);

        List<String> found = new ArrayList<>();
        if (!(scope instanceof MonitoringScope)) {
            found.add(vmFinding(vms));
        }
        if (monitoring != null) {
            found.add("monitoring effect " + monitoring.status().label() + " (" + effect(monitoring.before())
                    + (monitoring.after() != null && !monitoring.after().equals(monitoring.before())
                    ? " -> " + effect(monitoring.after()) : "") + ")");
        }
        String action = !writes.isEmpty() ? "wrote " + writes.size() + ": " + names(writes)
                : !planned.isEmpty() ? "would write " + planned.size() + ": " + names(planned)
                : "none";
        return decision.scope(scope.id()).outcome(String.join("; ", found), action, outcome.result(),
                outcome.reason()).timeToProtect(longestTimeToProtect(vms));
    }

    /** The longest known time to protect among these VMs; null when none was fixed with a known start. */
    static Long longestTimeToProtect(List<VmReport> vms) {
        return vms.stream().map(VmReport::timeToProtect)
                .filter(t -> t != null && t.seconds() != null)
                .map(t -> t.seconds()).max(Long::compare).orElse(null);
    }

    private static String vmFinding(List<VmReport> vms) {
        if (vms.isEmpty()) {
            return "no VMs";
        }
        if (vms.size() <= NAMED_VMS) {
            return vms.stream().map(v -> name(v.id()) + " " + v.status().label() + detail(v))
                    .collect(Collectors.joining(", "));
        }
        Map<VmStatus, Long> counts = new EnumMap<>(VmStatus.class);
        vms.forEach(v -> counts.merge(v.status(), 1L, Long::sum));
        return vms.size() + " VMs: " + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
    }

    private static String detail(VmReport v) {
        if (!v.changes().isEmpty()) {
            return " (" + String.join("; ", v.changes()) + ")";
        }
        return v.reason() == null || v.reason().isBlank() ? "" : " (" + v.reason() + ")";
    }

    private static String names(List<String> ids) {
        return ids.stream().map(Findings::name).collect(Collectors.joining(", "));
    }

    static String name(String id) {
        return ScopeOutcomes.shortName(id);
    }

    private static String effect(String value) {
        return value == null ? "default" : value;
    }
}
