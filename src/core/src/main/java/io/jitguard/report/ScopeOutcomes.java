package io.jitguard.report;

import io.jitguard.model.ArmId;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one function from a {@link Report} to a {@link ScopeOutcome} per requested scope. A scope's failures are those
 * whose target lies within it, is a policy one of its VMs was planned into, or is the scope itself. Some retryable
 * failure of the scope → {@link ScopeOutcome.Requeue}; else a failure → {@link ScopeOutcome.Terminal}; else
 * {@link ScopeOutcome.Converged}. When the report has retryable failures that no requested scope can be told apart
 * by, every scope is requeued (nothing is known about which finished).
 */
public final class ScopeOutcomes {
    /** The failure code of work not started because the run's deadline had passed. */
    public static final String TIME_BUDGET_EXHAUSTED = "TimeBudgetExhausted";

    private ScopeOutcomes() {
    }

    /** One outcome per scope the report names ({@link Report#scopes()}), keyed by scope id in that order. */
    public static Map<String, ScopeOutcome> of(Report report) {
        return of(report, report.scopes().stream().map(Scopes::parse).toList());
    }

    /** One outcome per requested scope, keyed by {@link Scope#id()} in request order. */
    public static Map<String, ScopeOutcome> of(Report report, List<? extends Scope> requested) {
        Map<String, ScopeOutcome> out = new LinkedHashMap<>();
        for (Scope scope : requested) {
            out.putIfAbsent(scope.id(), attributed(report, scope));
        }
        boolean anyRequeued = out.values().stream().anyMatch(o -> o instanceof ScopeOutcome.Requeue);
        if (report.hasTransientFailure() && !anyRequeued) {
            ScopeOutcome all = new ScopeOutcome.Requeue(retryReason(report), null);
            out.replaceAll((id, o) -> all);
        }
        return out;
    }

    /** The outcome of one scope of the report. */
    public static ScopeOutcome of(Report report, Scope scope) {
        return of(report, List.of(scope)).get(scope.id());
    }

    private static ScopeOutcome attributed(Report report, Scope scope) {
        List<Failure> failures = failures(report, scope);
        if (failures.stream().anyMatch(Failure::retryable)) {
            return new ScopeOutcome.Requeue(retryReason(report), null);
        }
        if (!failures.isEmpty()) {
            return new ScopeOutcome.Terminal(failureReason(failures));
        }
        return ScopeOutcome.CONVERGED;
    }

    /** The failures of the report that concern {@code scope}. */
    public static List<Failure> failures(Report report, Scope scope) {
        Set<String> policies = report.vms().stream().filter(v -> within(v.id(), scope)).map(VmReport::policyId)
                .filter(p -> p != null).map(ArmId::key).collect(Collectors.toSet());
        return report.failures().stream()
                .filter(f -> within(f.target(), scope) || policies.contains(ArmId.key(f.target()))
                        || ArmId.key(f.target()).equals(ArmId.key(scope.id())))
                .toList();
    }

    /** A one-line reason naming the first retryable failure of the report. */
    public static String retryReason(Report report) {
        List<Failure> retryable = report.failures().stream().filter(Failure::retryable).toList();
        boolean onlyBudget = !retryable.isEmpty() && retryable.stream()
                .allMatch(f -> TIME_BUDGET_EXHAUSTED.equals(f.code()));
        return (onlyBudget ? "time budget spent: " : "ARM kept failing: ") + failureReason(retryable);
    }

    /** {@code <rg/name>: <status> <code>: <message> (and n more)} of the first failure. */
    public static String failureReason(List<Failure> failures) {
        if (failures.isEmpty()) {
            return "no failure recorded";
        }
        Failure f = failures.get(0);
        String what = f.status() != 0 ? f.status() + " " + f.code()
                : f.code() == null || f.code().isBlank() ? "no answer" : f.code();
        return shortName(f.target()) + ": " + what + ": "
                + f.message() + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : "");
    }

    /** True when the resource id lies within the scope (a VM or monitoring scope: is that resource). */
    public static boolean within(String resourceId, Scope scope) {
        if (resourceId == null) {
            return false;
        }
        String id = ArmId.key(resourceId);
        String prefix;
        if (scope instanceof ResourceGroupScope rg) {
            prefix = "/subscriptions/" + rg.subscriptionId() + "/resourcegroups/" + rg.resourceGroup();
        } else if (scope instanceof SubscriptionScope s) {
            prefix = "/subscriptions/" + s.subscriptionId();
        } else {
            prefix = scope.id();
        }
        prefix = ArmId.key(prefix);
        return scope instanceof VmScope || scope instanceof MonitoringScope
                ? id.equals(prefix)
                : id.equals(prefix) || id.startsWith(prefix + "/");
    }

    /** {@link ArmId#shortName(String)}: how logs, reports and notifications name a resource. */
    public static String shortName(String id) {
        return ArmId.shortName(id);
    }
}
