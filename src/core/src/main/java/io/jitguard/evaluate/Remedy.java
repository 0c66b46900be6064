package io.jitguard.evaluate;

/** What jitguard does about a {@link Finding}. */
public enum Remedy {
    /** The planner merges it into a JIT policy PUT. */
    JIT_POLICY_WRITE,
    /** Reported only: jitguard never writes anything for it. */
    REPORT_ONLY
}
