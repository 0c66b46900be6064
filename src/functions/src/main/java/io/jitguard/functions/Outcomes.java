package io.jitguard.functions;

import io.jitguard.model.ArmId;
import io.jitguard.report.Failure;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@link Report} says about one scope for the decision log (finding, action, result). Whether the trigger
 * tries again is not decided here but by core's {@link ScopeOutcomes} ({@link #outcome}).
 */
public final class Outcomes {
    public static final String COMPLIANT = "compliant";
    public static final String FIXED = "fixed";
    public static final String WOULD_FIX = "would-fix";
    public static final String FINDINGS_REMAIN = "findings-remain";
    /** The scope's only remaining finding is exposure: covered VMs whose NSGs let a baseline port in (report only). */
    public static final String EXPOSED = "exposed";
    public static final String FAILED = "failed";
    public static final String TRANSIENT_FAILURE = "transient-failure";
    public static final String SELF = "self";
    public static final String IGNORED = "ignored";
    public static final String REJECTED = "rejected";
    public static final String OUT_OF_SCOPE = "out-of-scope";
    public static final String ENQUEUED = "enqueued";
    public static final String HANDED_OFF = "handed-off";
    /** The scope does not exist (404): a typo, or a VM deleted before its event arrived. Logged, never retried. */
    public static final String NOT_FOUND = "not-found";

    /** Up to this many VMs are named one by one in a finding; more are counted by status. */
    static final int NAMED_VMS = 3;

    private Outcomes() {
    }

    /** The decision's finding, action and result for {@code scope}, from a report that covered it. */
    public static Decision decide(Decision decision, Report report, Scope scope) {
        List<VmReport> vms = report.vms().stream().filter(v -> within(v.id(), scope)).toList();
        Set<String> policies = vms.stream().map(VmReport::policyId).filter(p -> p != null)
                .map(ArmId::key).collect(Collectors.toSet());
        List<String> writes = report.writes().stream().filter(w -> within(w, scope) || policies.contains(ArmId.key(w)))
                .distinct().toList();
        List<String> planned = report.plannedWrites().stream()
                .filter(w -> within(w, scope) || policies.contains(ArmId.key(w))).distinct().toList();
        List<Failure> failures = ScopeOutcomes.failures(report, scope);
        MonitoringEffectReport monitoring = monitoring(report, scope);

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

        String result;
        String reason = null;
        if (notFound(report, scope)) {
            result = NOT_FOUND;
            reason = failureReason(failures);
        } else if (failures.stream().anyMatch(Failure::retryable)) {
            result = TRANSIENT_FAILURE;
            reason = failureReason(failures);
        } else if (!failures.isEmpty()) {
            result = FAILED;
            reason = failureReason(failures);
        } else if (vms.stream().anyMatch(v -> v.status().remains())
                || (monitoring != null && monitoring.status().remains())) {
            boolean onlyExposure = (monitoring == null || !monitoring.status().remains())
                    && vms.stream().allMatch(v -> v.status() == VmStatus.EXPOSED || !v.status().remains());
            result = onlyExposure ? EXPOSED
                    : report.dryRun() && vms.stream().allMatch(v -> v.status() == VmStatus.WOULD_FIX
                    || !v.status().remains()) ? WOULD_FIX : FINDINGS_REMAIN;
            reason = remainingReason(vms, monitoring);
        } else {
            result = writes.isEmpty() ? COMPLIANT : FIXED;
        }
        return decision.scope(scope.id()).outcome(String.join("; ", found), action, result, reason);
    }

    /** The per-scope outcome contract of core: what the trigger does about each scope. */
    public static ScopeOutcome outcome(Report report, Scope scope) {
        return ScopeOutcomes.of(report, scope);
    }

    /** ARM said the scope itself does not exist (404 on reading it). */
    public static boolean notFound(Report report, Scope scope) {
        return report.failures().stream().anyMatch(f -> f.notFound() && ArmId.key(f.target()).equals(ArmId.key(scope.id())));
    }

    static boolean within(String resourceId, Scope scope) {
        return ScopeOutcomes.within(resourceId, scope);
    }

    private static MonitoringEffectReport monitoring(Report report, Scope scope) {
        if (!(scope instanceof SubscriptionScope || scope instanceof MonitoringScope)) {
            return null;
        }
        return report.subscriptions().stream().filter(s -> s.id().equalsIgnoreCase(scope.subscriptionId()))
                .map(SubscriptionReport::monitoringEffect).filter(m -> m != null).findFirst().orElse(null);
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

    private static String remainingReason(List<VmReport> vms, MonitoringEffectReport monitoring) {
        Set<String> reasons = new LinkedHashSet<>();
        vms.stream().filter(v -> v.status().remains())
                .forEach(v -> reasons.add(name(v.id()) + " " + v.status().label()
                        + (v.reason() == null || v.reason().isBlank() ? "" : ": " + v.reason())));
        if (monitoring != null && monitoring.status().remains()) {
            reasons.add("monitoring effect " + monitoring.status().label()
                    + (monitoring.reason() == null ? "" : ": " + monitoring.reason()));
        }
        return reasons.stream().limit(5).collect(Collectors.joining("; "))
                + (reasons.size() > 5 ? "; and " + (reasons.size() - 5) + " more" : "");
    }

    private static String failureReason(List<Failure> failures) {
        return ScopeOutcomes.failureReason(failures);
    }

    private static String names(List<String> ids) {
        return ids.stream().map(Outcomes::name).collect(Collectors.joining(", "));
    }

    static String name(String id) {
        return ScopeOutcomes.shortName(id);
    }

    private static String effect(String value) {
        return value == null ? "default" : value;
    }
}
