package io.jitguard.report;

import io.jitguard.model.ArmId;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one function from a {@link Report} to a {@link ScopeOutcome} per requested scope. A scope's failures are those
 * whose target lies within it, is a policy one of its VMs was planned into, or is the scope itself. A 404 on the scope
 * itself → {@link ScopeOutcome.NotFound}; else some retryable failure of the scope → {@link ScopeOutcome.Requeue}
 * (with the longest {@code Retry-After} ARM sent for those failures); else a failure → {@link ScopeOutcome.Terminal};
 * else {@link ScopeOutcome.Converged} with the state its VMs and monitoring effect are in. When the report has
 * retryable failures that no requested scope can be told apart by, every scope that exists is requeued (nothing is
 * known about which finished).
 */
public final class ScopeOutcomes {
    /** The failure code of work not started because the run's deadline had passed. */
    public static final String TIME_BUDGET_EXHAUSTED = "TimeBudgetExhausted";
    /** Up to this many remaining findings are named in a {@link ScopeOutcome.Converged} reason. */
    static final int NAMED_REASONS = 5;

    private ScopeOutcomes() {
    }

    /** One outcome per scope the report names ({@link Report#scopes()}), keyed by scope id in that order. */
    public static Map<String, ScopeOutcome> of(Report report) {
        return of(report, report.scopes().stream().map(Scopes::parse).toList());
    }

    /** One outcome per requested scope, keyed by {@link Scope#id()} in request order. */
    public static Map<String, ScopeOutcome> of(Report report, List<? extends Scope> requested) {
        Map<String, ScopeOutcome> out = new LinkedHashMap<>();
        Map<String, Report> bySubscription = requested.size() > 1 ? bySubscription(report) : Map.of();
        for (Scope scope : requested) {
            Report own = requested.size() > 1 ? bySubscription.getOrDefault(
                    scope.subscriptionId().toLowerCase(java.util.Locale.ROOT), empty(report)) : report;
            out.putIfAbsent(scope.id(), attributed(own, scope));
        }
        boolean anyRequeued = out.values().stream().anyMatch(o -> o instanceof ScopeOutcome.Requeue);
        if (report.hasTransientFailure() && !anyRequeued) {
            List<Failure> retryable = report.failures().stream().filter(Failure::retryable).toList();
            ScopeOutcome all = new ScopeOutcome.Requeue(retryReason(retryable), retryAfter(retryable));
            out.replaceAll((id, o) -> o instanceof ScopeOutcome.NotFound ? o : all);
        }
        return out;
    }

    /**
     * The report cut by subscription (VMs, writes, planned writes, failures and subscriptions whose id lies in it):
     * everything a scope's outcome is computed from lies in the scope's subscription, so each scope looks only at its
     * own, not at every VM of a tenant-wide run.
     */
    private static Map<String, Report> bySubscription(Report report) {
        Map<String, List<VmReport>> vms = grouped(report.vms(), VmReport::id);
        Map<String, List<String>> writes = grouped(report.writes(), w -> w);
        Map<String, List<String>> planned = grouped(report.plannedWrites(), w -> w);
        Map<String, List<Failure>> failures = grouped(report.failures(), Failure::target);
        Map<String, List<SubscriptionReport>> subscriptions = grouped(report.subscriptions(),
                s -> "/subscriptions/" + s.id());
        Set<String> keys = new java.util.HashSet<>(vms.keySet());
        keys.addAll(writes.keySet());
        keys.addAll(planned.keySet());
        keys.addAll(failures.keySet());
        keys.addAll(subscriptions.keySet());
        Map<String, Report> out = new java.util.HashMap<>();
        for (String key : keys) {
            out.put(key, slice(report, subscriptions.getOrDefault(key, List.of()), vms.getOrDefault(key, List.of()),
                    writes.getOrDefault(key, List.of()), planned.getOrDefault(key, List.of()),
                    failures.getOrDefault(key, List.of())));
        }
        return out;
    }

    private static Report empty(Report report) {
        return slice(report, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** {@code report}'s run with only these subscriptions, VMs, writes, planned writes and failures. */
    private static Report slice(Report report, List<SubscriptionReport> subscriptions, List<VmReport> vms,
                                List<String> writes, List<String> planned, List<Failure> failures) {
        return new Report(report.mode(), report.dryRun(), report.trigger(), report.startedAt(), report.finishedAt(),
                report.scopes(), subscriptions, vms, writes, planned, failures, report.armCalls());
    }

    /** Items by the lower-case subscription of their resource id; items without one are left out. */
    private static <T> Map<String, List<T>> grouped(List<T> items, java.util.function.Function<T, String> id) {
        Map<String, List<T>> out = new java.util.HashMap<>();
        for (T item : items) {
            String resourceId = id.apply(item);
            if (resourceId != null) {
                ArmId.subscriptionOfPath(resourceId).ifPresent(sub -> out.computeIfAbsent(
                        sub.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(item));
            }
        }
        return out;
    }

    /** The outcome of one scope of the report. */
    public static ScopeOutcome of(Report report, Scope scope) {
        return of(report, List.of(scope)).get(scope.id());
    }

    private static ScopeOutcome attributed(Report report, Scope scope) {
        List<Failure> failures = failures(report, scope);
        if (failures.stream().anyMatch(f -> f.notFound() && ArmId.key(f.target()).equals(ArmId.key(scope.id())))) {
            return new ScopeOutcome.NotFound(failureReason(failures));
        }
        return failures.isEmpty() ? converged(report, scope) : failed(failures);
    }

    /**
     * The outcome of work that failed before any scope could be told apart (e.g. listing the subscriptions): some
     * retryable failure → {@link ScopeOutcome.Requeue}, else {@link ScopeOutcome.Terminal}.
     */
    public static ScopeOutcome failed(List<Failure> failures) {
        List<Failure> retryable = failures.stream().filter(Failure::retryable).toList();
        if (!retryable.isEmpty()) {
            return new ScopeOutcome.Requeue(retryReason(retryable), retryAfter(retryable));
        }
        return new ScopeOutcome.Terminal(failureReason(failures));
    }

    private static ScopeOutcome.Converged converged(Report report, Scope scope) {
        List<VmReport> vms = report.vms().stream().filter(v -> within(v.id(), scope)).toList();
        MonitoringEffectReport monitoring = monitoring(report, scope);
        boolean monitoringRemains = monitoring != null && monitoring.status().remains();
        if (vms.stream().anyMatch(v -> v.status().remains()) || monitoringRemains) {
            boolean onlyExposure = !monitoringRemains
                    && vms.stream().allMatch(v -> v.status() == VmStatus.EXPOSED || !v.status().remains());
            boolean onlyWouldFix = report.dryRun()
                    && vms.stream().allMatch(v -> v.status() == VmStatus.WOULD_FIX || !v.status().remains());
            ScopeOutcome.Converged.State state = onlyExposure ? ScopeOutcome.Converged.State.EXPOSED
                    : onlyWouldFix ? ScopeOutcome.Converged.State.WOULD_FIX
                    : ScopeOutcome.Converged.State.FINDINGS_REMAIN;
            return new ScopeOutcome.Converged(state, remainingReason(vms, monitoringRemains ? monitoring : null));
        }
        return new ScopeOutcome.Converged(writes(report, scope).isEmpty() ? ScopeOutcome.Converged.State.COMPLIANT
                : ScopeOutcome.Converged.State.FIXED, null);
    }

    /** The writes of the report that concern {@code scope}: within it, or a policy one of its VMs is in. */
    public static List<String> writes(Report report, Scope scope) {
        return concerning(report.writes(), report, scope);
    }

    /** The writes a dry run planned that concern {@code scope}. */
    public static List<String> plannedWrites(Report report, Scope scope) {
        return concerning(report.plannedWrites(), report, scope);
    }

    private static List<String> concerning(List<String> ids, Report report, Scope scope) {
        Set<String> policies = policies(report, scope);
        return ids.stream().filter(w -> within(w, scope) || policies.contains(ArmId.key(w))).distinct().toList();
    }

    private static Set<String> policies(Report report, Scope scope) {
        return report.vms().stream().filter(v -> within(v.id(), scope)).map(VmReport::policyId)
                .filter(p -> p != null).map(ArmId::key).collect(Collectors.toSet());
    }

    /** The monitoring effect of a subscription or monitoring scope; null for any other scope or when not read. */
    public static MonitoringEffectReport monitoring(Report report, Scope scope) {
        if (!(scope instanceof SubscriptionScope || scope instanceof MonitoringScope)) {
            return null;
        }
        return report.subscriptions().stream().filter(s -> s.id().equalsIgnoreCase(scope.subscriptionId()))
                .map(SubscriptionReport::monitoringEffect).filter(m -> m != null).findFirst().orElse(null);
    }

    private static String remainingReason(List<VmReport> vms, MonitoringEffectReport monitoring) {
        Set<String> reasons = new LinkedHashSet<>();
        vms.stream().filter(v -> v.status().remains())
                .forEach(v -> reasons.add(shortName(v.id()) + " " + v.status().label()
                        + (v.reason() == null || v.reason().isBlank() ? "" : ": " + v.reason())));
        if (monitoring != null) {
            reasons.add("monitoring effect " + monitoring.status().label()
                    + (monitoring.reason() == null ? "" : ": " + monitoring.reason()));
        }
        return reasons.stream().limit(NAMED_REASONS).collect(Collectors.joining("; "))
                + (reasons.size() > NAMED_REASONS ? "; and " + (reasons.size() - NAMED_REASONS) + " more" : "");
    }

    /** The longest {@code Retry-After} ARM sent for these failures; null when it sent none. */
    static Duration retryAfter(List<Failure> failures) {
        return failures.stream().map(Failure::retryAfter).filter(s -> s != null).max(Long::compare)
                .map(Duration::ofSeconds).orElse(null);
    }

    /** The failures of the report that concern {@code scope}. */
    public static List<Failure> failures(Report report, Scope scope) {
        Set<String> policies = policies(report, scope);
        return report.failures().stream()
                .filter(f -> within(f.target(), scope) || policies.contains(ArmId.key(f.target()))
                        || ArmId.key(f.target()).equals(ArmId.key(scope.id())))
                .toList();
    }

    /** A one-line reason naming the first retryable failure of the report. */
    public static String retryReason(Report report) {
        return retryReason(report.failures().stream().filter(Failure::retryable).toList());
    }

    private static String retryReason(List<Failure> retryable) {
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
