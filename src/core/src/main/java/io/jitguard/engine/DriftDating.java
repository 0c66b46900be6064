package io.jitguard.engine;

import io.jitguard.evaluate.VmFinding;
import io.jitguard.evaluate.VmState;
import io.jitguard.model.ArmTimes;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.report.TimeToProtect;
import io.jitguard.scope.Scope;
import java.time.Instant;
import java.util.Map;

/**
 * When a fixed VM's drift began, and so its time to protect. An event-driven run knows it: the time of the ARM write
 * that raised the event of a scope holding the VM (the earliest, when several did). Otherwise only ARM's own times
 * date it, and only where they settle it:
 * <ul>
 *   <li>a VM listed in no JIT policy ({@link VmState#MISSING}) has been so since its {@code properties.timeCreated}
 *   when no JIT policy of its resource group and location was changed after that (a later change may have dropped
 *   it: then, and when a policy there carries no {@code systemData}, the start is unknown);</li>
 *   <li>a VM whose rules are missing or loose ({@link VmState#LOOSE}) has had them since its policy was last changed
 *   ({@code systemData.lastModifiedAt}, else {@code createdAt}) — at least that long.</li>
 * </ul>
 * Anything else is {@link TimeToProtect#unknown}: never a guess.
 */
final class DriftDating {
    private DriftDating() {
    }

    /** @param lastModified a policy's last change ({@code systemData}), or null: the caller may remember it per policy */
    static TimeToProtect of(VmFinding finding, Instant protectedAt, Map<Scope, Instant> driftStarts,
                            ObservedSubscription observed, java.util.function.Function<JitPolicy, Instant> lastModified) {
        Instant event = null;
        for (Map.Entry<Scope, Instant> e : driftStarts.entrySet()) {
            if (ScopeOutcomes.within(finding.vm().id(), e.getKey())
                    && (event == null || e.getValue().isBefore(event))) {
                event = e.getValue();
            }
        }
        if (event != null) {
            return TimeToProtect.between(TimeToProtect.EVENT, event, protectedAt);
        }
        if (finding.state() == VmState.MISSING) {
            Instant created = finding.vm().timeCreated();
            return created != null && noPolicyChangedSince(finding, created, observed, lastModified)
                    ? TimeToProtect.between(TimeToProtect.VM_CREATED, created, protectedAt)
                    : TimeToProtect.unknown(protectedAt);
        }
        if (finding.state() == VmState.LOOSE) {
            JitPolicy policy = policy(observed, finding.policyId());
            Instant modified = policy == null ? null : lastModified.apply(policy);
            return modified != null ? TimeToProtect.between(TimeToProtect.POLICY_MODIFIED, modified, protectedAt)
                    : TimeToProtect.unknown(protectedAt);
        }
        return TimeToProtect.unknown(protectedAt);
    }

    /** The policy's last change as its document says ({@code systemData}), or null. */
    static Instant lastModified(JitPolicy policy) {
        return ArmTimes.lastModified(Json.parse(policy.json()));
    }

    private static boolean noPolicyChangedSince(VmFinding finding, Instant created, ObservedSubscription observed,
                                                java.util.function.Function<JitPolicy, Instant> lastModified) {
        for (JitPolicy p : observed.policies()) {
            if (p.resourceGroup().equalsIgnoreCase(finding.vm().resourceGroup())
                    && p.location().equalsIgnoreCase(finding.vm().location())) {
                Instant modified = lastModified.apply(p);
                if (modified == null || modified.isAfter(created)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JitPolicy policy(ObservedSubscription observed, String policyId) {
        if (policyId == null) {
            return null;
        }
        for (JitPolicy p : observed.policies()) {
            if (p.id().equalsIgnoreCase(policyId)) { // ARM ids compare case-insensitively; no key built per policy
                return p;
            }
        }
        return null;
    }
}
