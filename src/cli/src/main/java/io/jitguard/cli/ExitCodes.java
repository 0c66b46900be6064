package io.jitguard.cli;

/** The CLI's exit codes. */
public final class ExitCodes {
    /** Every in-scope resource is compliant or was fixed (excluded ones don't count). */
    public static final int COMPLIANT = 0;
    /** Findings remain: dry run, unsupported, blocked, failed, missing assignment. */
    public static final int FINDINGS_REMAIN = 1;
    /** Usage or input error: nothing was read or written. */
    public static final int USAGE = 2;
    /** An unexpected error inside jitguard. */
    static final int FAILED_INTERNAL = 1;

    private ExitCodes() {
    }
}
