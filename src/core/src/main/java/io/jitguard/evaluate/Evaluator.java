package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.Vm;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Observed state + baseline → findings. Pure. The subscription is indexed once ({@link SubscriptionIndex}); each VM's
 * {@link VmContext} goes through {@link Checks#ALL} in order, and its state is derived from the findings by
 * {@link #status} (the first finding that stops the VM wins: excluded, unsupported, blocked; else compliant / loose
 * / missing against the policies of the VM's resource group and location).
 */
public final class Evaluator {
    public static final String REASON_CLASSIC = ClassicCheck.REASON;
    public static final String REASON_NO_NETWORK_PROTECTION = NetworkProtectionCheck.REASON;
    public static final String REASON_NAME_TOO_LONG = NameLengthCheck.REASON;

    private Evaluator() {
    }

    /** Exclusions judged on today's date (UTC) by the system clock; the engine passes its own clock's day. */
    public static SubscriptionFindings evaluate(ObservedSubscription observed, Baseline baseline) {
        return evaluate(observed, baseline, todayUtc());
    }

    /** @param today the day (UTC) on which exclusions are judged: one applies through its last day */
    public static SubscriptionFindings evaluate(ObservedSubscription observed, Baseline baseline, LocalDate today) {
        return evaluate(observed, baseline, today, Checks.ALL);
    }

    /**
     * {@link #evaluate(ObservedSubscription, Baseline, LocalDate)} without the exposure check, the last and only
     * report-only one: what a plan needs, made before the reads exposure needs. Evaluate again with them for the
     * report.
     */
    public static SubscriptionFindings evaluateForPlan(ObservedSubscription observed, Baseline baseline,
                                                       LocalDate today) {
        return evaluate(observed, baseline, today, Checks.BEFORE_EXPOSURE);
    }

    /**
     * {@code first} ({@link #evaluateForPlan}) completed by the exposure check on {@code completed}, the same
     * observation with exposure's reads added: no other check reads what they add, so only that check runs again. The
     * same as {@code evaluate(completed, ...)}, except that exclusions stay as {@code first} judged them (on its day:
     * the day the plan was made on; the exposure check reads no date).
     */
    public static SubscriptionFindings withExposure(SubscriptionFindings first, ObservedSubscription completed,
                                                   Baseline baseline, LocalDate today) {
        SubscriptionIndex index = new SubscriptionIndex(completed);
        List<VmFinding> vms = new ArrayList<>();
        for (VmFinding finding : first.vms()) {
            if (finding.findings().stream().anyMatch(f -> f.kind().stops() != null)) {
                vms.add(finding); // an earlier check stopped it: exposure is not judged
                continue;
            }
            VmContext ctx = index.context(finding.vm(), today);
            List<Finding> findings = new ArrayList<>(finding.findings());
            findings.addAll(Checks.EXPOSURE.check(ctx, baseline));
            vms.add(status(ctx, findings, baseline));
        }
        return new SubscriptionFindings(completed, first.monitoring(), vms);
    }

    private static SubscriptionFindings evaluate(ObservedSubscription observed, Baseline baseline, LocalDate today,
                                                 List<VmCheck> checks) {
        SubscriptionIndex index = new SubscriptionIndex(observed);
        List<VmFinding> vms = new ArrayList<>();
        for (Vm vm : observed.vms()) {
            vms.add(evaluateVm(index.context(vm, today), baseline, checks));
        }
        return new SubscriptionFindings(observed, monitoring(observed), vms);
    }

    static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    static MonitoringFinding monitoring(ObservedSubscription observed) {
        return MonitoringForms.finding(observed);
    }

    /** Runs {@link Checks#ALL} in order; a finding that stops the VM ends the list. */
    public static VmFinding evaluateVm(VmContext ctx, Baseline baseline) {
        return evaluateVm(ctx, baseline, Checks.ALL);
    }

    private static VmFinding evaluateVm(VmContext ctx, Baseline baseline, List<VmCheck> checks) {
        List<Finding> findings = new ArrayList<>();
        for (VmCheck check : checks) {
            List<Finding> found = check.check(ctx, baseline);
            findings.addAll(found);
            if (found.stream().anyMatch(f -> f.kind().stops() != null)) {
                break;
            }
        }
        return status(ctx, findings, baseline);
    }

    /**
     * The one function from a VM's findings to its state: the first finding that stops the VM decides it (with its
     * reason); else JIT-write findings make it {@code MISSING} (listed nowhere) or {@code LOOSE}; else
     * {@code COMPLIANT}, naming the policy that covers it.
     */
    public static VmFinding status(VmContext ctx, List<Finding> findings, Baseline baseline) {
        Vm vm = ctx.vm();
        for (Finding f : findings) {
            if (f.kind().stops() != null) {
                return new VmFinding(vm, f.kind().stops(), f.reason(), null, List.of(), findings);
            }
        }
        List<Finding> writes = findings.stream().filter(f -> f.remedy() == Remedy.JIT_POLICY_WRITE).toList();
        if (writes.isEmpty()) {
            String policyId = ctx.coveredBy(baseline).map(l -> l.policy().id()).orElse(null);
            return new VmFinding(vm, VmState.COMPLIANT, "", policyId, List.of(), findings);
        }
        List<String> gaps = writes.stream().map(Finding::change).distinct().toList();
        PolicyNaming.Target policy = writes.get(0).policy();
        Optional<Finding> notListed = writes.stream().filter(f -> f.kind() == FindingKind.NOT_IN_POLICY).findFirst();
        if (notListed.isPresent()) {
            return new VmFinding(vm, VmState.MISSING, notListed.get().reason(), policy.id(), gaps, findings);
        }
        return new VmFinding(vm, VmState.LOOSE, "policy " + policy.name() + " is looser than the baseline: "
                + String.join("; ", gaps), policy.id(), gaps, findings);
    }

    /** A policy of the VM's resource group and location and the entry in it that lists the VM. */
    public record Listing(JitPolicy policy, JitVm entry) {
    }

    /** Policies of the VM's resource group and location listing it, ordered by name then id (deterministic). */
    public static List<Listing> listings(ObservedSubscription observed, Vm vm) {
        return new SubscriptionIndex(observed).context(vm).listings();
    }
}
