package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonValue;

public enum MonitoringStatus {
    COMPLIANT("compliant"), FIXED("fixed"), WOULD_FIX("would-fix"), MISSING("missing"), FAILED("failed"),
    NOT_IN_SCOPE("not-in-scope"), UNRECOGNIZED("unrecognized");

    private final String label;

    MonitoringStatus(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    public boolean remains() {
        return this == WOULD_FIX || this == MISSING || this == FAILED || this == UNRECOGNIZED;
    }
}
