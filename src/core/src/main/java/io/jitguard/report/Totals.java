package io.jitguard.report;

import io.jitguard.model.ArmId;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a report adds up to, so that nothing drops out of the count: subscriptions and scopes that could not be read
 * (or do not exist), VMs and monitoring findings by status (every status, zeros included), and failures.
 *
 * @param subscriptions           subscriptions the run touched, readable or not
 * @param unreadableSubscriptions subscriptions whose whole-subscription read failed
 * @param scopes                  scopes the run was asked to reconcile (after collapsing)
 * @param unreadableScopes        scopes that could not be read, not-found ones included
 * @param notFoundScopes          scopes ARM says do not exist (404)
 * @param unfinished              scopes or writes left undone because the run's time budget was spent
 * @param vms                     VM count by status label
 * @param needsAction             VMs with a finding that remains after the run (exposed, failed, blocked, would-fix,
 *                                unsupported): each VM counted once
 * @param covered                 VMs in a JIT policy with the baseline when the run ended (compliant, fixed, exposed)
 * @param closed                  covered VMs that are not exposed
 * @param excluded                VMs left alone because an exclusion applies
 * @param monitoring              monitoring-effect count by status label
 * @param failures                every failure in the report
 */
@JsonPropertyOrder({"subscriptions", "unreadableSubscriptions", "scopes", "unreadableScopes", "notFoundScopes",
        "unfinished", "vms", "needsAction", "covered", "closed", "excluded", "monitoring", "failures"})
public record Totals(int subscriptions, int unreadableSubscriptions, int scopes, int unreadableScopes,
                     int notFoundScopes, int unfinished, Map<String, Long> vms, long needsAction, long covered,
                     long closed, long excluded, Map<String, Long> monitoring, int failures) {
    /** Failure code of work not started because the run's deadline had passed (see the Reconciler). */
    public static final String TIME_BUDGET_EXHAUSTED = "TimeBudgetExhausted";

    public static Totals of(Report report) {
        java.util.Set<String> scopeKeys = new java.util.HashSet<>();
        report.scopes().forEach(s -> scopeKeys.add(key(s)));
        int unreadableScopes = 0;
        int notFound = 0;
        int unfinished = 0;
        int unreadableSubscriptions = 0;
        java.util.Set<String> seenScopes = new java.util.HashSet<>();
        for (Failure f : report.failures()) {
            String target = key(f.target());
            if (TIME_BUDGET_EXHAUSTED.equals(f.code())) {
                unfinished++;
            }
            if ((scopeKeys.contains(target) || target.equals("/subscriptions")) && seenScopes.add(target)) {
                unreadableScopes++;
                if (f.notFound()) {
                    notFound++;
                }
                if (ArmId.tryParse(target).filter(id -> id.isType("Microsoft.Resources/subscriptions")).isPresent()) {
                    unreadableSubscriptions++;
                }
            }
        }
        long[] byStatus = new long[VmStatus.values().length];
        long needsAction = 0;
        long covered = 0;
        long closed = 0;
        for (VmReport vm : report.vms()) {
            byStatus[vm.status().ordinal()]++;
            needsAction += vm.status().remains() ? 1 : 0;
            covered += vm.covered() ? 1 : 0;
            closed += vm.closed() ? 1 : 0;
        }
        Map<String, Long> vms = new LinkedHashMap<>();
        for (VmStatus s : VmStatus.values()) {
            vms.put(s.label(), byStatus[s.ordinal()]);
        }
        Map<String, Long> monitoring = new LinkedHashMap<>();
        for (MonitoringStatus s : MonitoringStatus.values()) {
            monitoring.put(s.label(), report.subscriptions().stream()
                    .filter(sub -> sub.monitoringEffect() != null && sub.monitoringEffect().status() == s).count());
        }
        return new Totals(report.subscriptions().size(), unreadableSubscriptions, report.scopes().size(),
                unreadableScopes, notFound, unfinished, vms, needsAction, covered, closed,
                byStatus[VmStatus.EXCLUDED.ordinal()], monitoring, report.failures().size());
    }

    /** True when some part of the run could not be done: a scope unread or missing, or the time budget spent. */
    public boolean incomplete() {
        return unreadableScopes > 0 || unfinished > 0;
    }

    private static String key(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
    }
}
