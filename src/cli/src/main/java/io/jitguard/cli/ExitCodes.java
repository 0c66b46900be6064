package io.jitguard.cli;

import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import java.util.Map;

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

    /** The one outcome switch of the CLI: any scope to retry or failed for good, or findings left, exit 1. */
    public static int of(Report report, Map<String, ScopeOutcome> outcomes) {
        int code = report.allCompliant() ? COMPLIANT : FINDINGS_REMAIN;
        for (ScopeOutcome outcome : outcomes.values()) {
            switch (outcome.kind()) {
                case REQUEUE, TERMINAL -> code = FINDINGS_REMAIN;
                case CONVERGED -> {
                    // the report's findings decide
                }
            }
        }
        return code;
    }
}
