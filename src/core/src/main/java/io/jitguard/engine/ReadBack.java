package io.jitguard.engine;

import io.jitguard.arm.ArmException;

/**
 * When a write's outcome is unknown, ask ARM what it holds instead of guessing.
 *
 * <p>A PUT whose retries ended in a timeout, a connection reset or a 5xx may well have been applied: ARM answers a
 * PUT only after it stored it, and the answer can be lost on the way back. Such a write is followed by one read of
 * the resource; the report says what that read shows (covered → fixed, not covered → the write's failure). A 4xx
 * (including 429: throttled requests are not applied) is a definite "no".
 *
 * <p>At the end of an enforce run, every policy the run wrote is read once more (and rewritten, {@link #FINAL_ROUNDS}
 * times at most): a writer that held no shared lock may have replaced it with a document that lacks what this run
 * added.
 */
public final class ReadBack {
    /** Rewrites at most, per policy, in the end-of-run read-back of written policies (each one read back again). */
    public static final int FINAL_ROUNDS = 2;

    private ReadBack() {
    }

    /** True when ARM may have applied the write although the call failed. */
    public static boolean outcomeUnknown(ArmException e) {
        int s = e.status();
        return s == 0 || s == 408 || (s >= 500 && s != 501 && s != 505);
    }

    /**
     * One plain read (no lock) of a policy this run wrote: true when it lacks something the write added, so the
     * write is planned again (under the lock). A failed read keeps what the write's own verification showed.
     */
    static boolean lost(io.jitguard.arm.Arm arm, io.jitguard.plan.PolicyWrite write,
                        io.jitguard.baseline.Baseline baseline) {
        try {
            return io.jitguard.plan.PolicyMerge.merge(ArmReads.getOrNull(arm, io.jitguard.arm.ArmOperation.GET_JIT_POLICY,
                    write.policyId()), write, baseline).changed();
        } catch (ArmException | io.jitguard.plan.UnmergeableDocumentException e) {
            return false;
        }
    }
}
