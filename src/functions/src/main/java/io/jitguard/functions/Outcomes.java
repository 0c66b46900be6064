package io.jitguard.functions;

import io.jitguard.engine.Reconciler;
import io.jitguard.report.Failure;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.Report;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place that reads a {@link Report} for a trigger: what it says about one scope (finding, action, result for
 * the decision log) and whether the trigger should be tried again.
 */
public final class Outcomes {
    public static final String COMPLIANT = "compliant";
    public static final String FIXED = "fixed";
    public static final String WOULD_FIX = "would-fix";
    public static final String FINDINGS_REMAIN = "findings-remain";
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
                .map(Outcomes::key).collect(Collectors.toSet());
        List<String> writes = report.writes().stream().filter(w -> within(w, scope) || policies.contains(key(w)))
                .distinct().toList();
        List<String> planned = report.plannedWrites().stream()
                .filter(w -> within(w, scope) || policies.contains(key(w))).distinct().toList();
        List<Failure> failures = report.failures().stream()
                .filter(f -> within(f.target(), scope) || policies.contains(key(f.target()))
                        || key(f.target()).equals(key(scope.id())))
                .toList();
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
            result = report.dryRun() && vms.stream().allMatch(v -> v.status() == VmStatus.WOULD_FIX
                    || !v.status().remains()) ? WOULD_FIX : FINDINGS_REMAIN;
            reason = remainingReason(vms, monitoring);
        } else {
            result = writes.isEmpty() ? COMPLIANT : FIXED;
        }
        return decision.scope(scope.id()).outcome(String.join("; ", found), action, result, reason);
    }

    /** ARM said the scope itself does not exist (404 on reading it). */
    public static boolean notFound(Report report, Scope scope) {
        return report.failures().stream().anyMatch(f -> f.notFound() && key(f.target()).equals(key(scope.id())));
    }

    /** The trigger should be tried again: some failure is transient (throttling, 5xx, time budget spent). */
    public static boolean retry(Report report) {
        return report.hasTransientFailure();
    }

    /** A one-line reason naming the first transient failure, for the exception that asks for a retry. */
    public static String retryReason(Report report) {
        List<Failure> retryable = report.failures().stream().filter(Failure::retryable).toList();
        boolean onlyBudget = !retryable.isEmpty() && retryable.stream()
                .allMatch(f -> Reconciler.TIME_BUDGET_EXHAUSTED.equals(f.code()));
        return (onlyBudget ? "time budget spent: " : "ARM kept failing: ") + failureReason(retryable);
    }

    static boolean within(String resourceId, Scope scope) {
        if (resourceId == null) {
            return false;
        }
        String id = key(resourceId);
        String prefix;
        if (scope instanceof ResourceGroupScope rg) {
            prefix = "/subscriptions/" + rg.subscriptionId() + "/resourcegroups/" + rg.resourceGroup();
        } else if (scope instanceof SubscriptionScope s) {
            prefix = "/subscriptions/" + s.subscriptionId();
        } else {
            prefix = scope.id();
        }
        prefix = key(prefix);
        return scope instanceof VmScope || scope instanceof MonitoringScope
                ? id.equals(prefix)
                : id.equals(prefix) || id.startsWith(prefix + "/");
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
        if (failures.isEmpty()) {
            return "no failure recorded";
        }
        Failure f = failures.get(0);
        String what = f.status() != 0 ? f.status() + " " + f.code()
                : f.code() == null || f.code().isBlank() ? "no answer" : f.code();
        return name(f.target()) + ": " + what + ": "
                + f.message() + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : "");
    }

    private static String names(List<String> ids) {
        return ids.stream().map(Outcomes::name).collect(Collectors.joining(", "));
    }

    /** {@code rg/name} of a resource id, or the id when it has no resource group. */
    static String name(String id) {
        if (id == null) {
            return "?";
        }
        String[] p = id.split("/");
        String last = p[p.length - 1];
        for (int i = 0; i + 1 < p.length; i++) {
            if (p[i].equalsIgnoreCase("resourceGroups")) {
                return p.length > i + 2 ? p[i + 1] + "/" + last : p[i + 1];
            }
        }
        return id;
    }

    private static String effect(String value) {
        return value == null ? "default" : value;
    }

    private static String key(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
    }
}
