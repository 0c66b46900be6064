package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** A VM's outcome in a report. */
public enum VmStatus {
    COMPLIANT("compliant"), FIXED("fixed"), WOULD_FIX("would-fix"), UNSUPPORTED("unsupported"),
    EXCLUDED("excluded"), BLOCKED("blocked"), FAILED("failed"),
    /**
     * Covered (compliant, or fixed by this run) but a baseline port is open from the Internet through its NSGs, or
     * Defender's deny rule is missing ({@link VmReport#exposure()}): report only, jitguard never edits an NSG.
     */
    EXPOSED("exposed");

    private final String label;

    VmStatus(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /**
     * In a JIT policy with the baseline when the run ended: compliant, fixed, or covered but exposed. A would-fix VM
     * is not covered yet (nothing was written).
     */
    public boolean covered() {
        return this == COMPLIANT || this == FIXED || this == EXPOSED;
    }

    /** Findings that remain after the run: they make the CLI exit 1. */
    public boolean remains() {
        return this == WOULD_FIX || this == UNSUPPORTED || this == BLOCKED || this == FAILED || this == EXPOSED;
    }
}
