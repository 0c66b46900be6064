package io.jitguard.evaluate;

/**
 * What a {@link Finding} is about. A report-only kind that {@linkplain #stops() stops} a VM ends its evaluation and
 * gives the VM its state (the first such finding wins); a JIT-write kind makes the VM {@code MISSING}
 * ({@link #NOT_IN_POLICY}) or {@code LOOSE}. To add a kind: one constant here, with the state it stops at (or null
 * for a finding that is only reported and does not stop the VM).
 */
public enum FindingKind {
    EXCLUDED(Remedy.REPORT_ONLY, VmState.EXCLUDED),
    /** An exclusion whose last day has passed: no longer applied (the VM is reconciled), reported on every run. */
    EXCLUSION_EXPIRED(Remedy.REPORT_ONLY, null),
    /** An exclusion tag that is not honoured (tags off, no last day, too far ahead): the VM is reconciled, reported. */
    EXCLUSION_REFUSED(Remedy.REPORT_ONLY, null),
    CLASSIC(Remedy.REPORT_ONLY, VmState.UNSUPPORTED),
    NO_NETWORK_PROTECTION(Remedy.REPORT_ONLY, VmState.UNSUPPORTED),
    NAME_TOO_LONG(Remedy.REPORT_ONLY, VmState.UNSUPPORTED),
    PLAN_MISSING(Remedy.REPORT_ONLY, VmState.BLOCKED),
    /** Listed in no JIT policy of its resource group and location; {@link Finding#policy()} is where it goes. */
    NOT_IN_POLICY(Remedy.JIT_POLICY_WRITE, null),
    /** A baseline port has no rule ({@link RuleCheck.Kind#ADD}). */
    MISSING_RULE(Remedy.JIT_POLICY_WRITE, null),
    /** A rule is longer or wider than the baseline ({@link RuleCheck.Kind#TIGHTEN}, {@link RuleCheck.Kind#RESTRICT}). */
    LOOSE_RULE(Remedy.JIT_POLICY_WRITE, null),
    /** A baseline port is reachable from the Internet through the VM's NSGs ({@link ExposureCheck}); reported only. */
    EXPOSED(Remedy.REPORT_ONLY, null),
    /** A covered port has no Defender JIT deny rule on the VM's NSGs past the grace period; reported only. */
    NO_JIT_DENY(Remedy.REPORT_ONLY, null),
    /** A note of the exposure check: a port open for an approved JIT request, an NSG not read, a path without one. */
    EXPOSURE_NOTE(Remedy.REPORT_ONLY, null);

    private final Remedy remedy;
    private final VmState stops;

    FindingKind(Remedy remedy, VmState stops) {
        this.remedy = remedy;
        this.stops = stops;
    }

    public Remedy remedy() {
        return remedy;
    }

    /** The state a VM with this finding ends in, with no further check run; null when it does not stop the VM. */
    public VmState stops() {
        return stops;
    }
}
