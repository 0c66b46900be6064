package io.jitguard.evaluate;

public enum MonitoringState {
    /** Parameter absent (the initiative default), {@code AuditIfNotExists} or {@code Audit}. */
    COMPLIANT,
    /** Set to {@code Disabled} (or any other value that does not audit), or an override disables it: fixed. */
    DISABLED,
    /** No {@code SecurityCenterBuiltIn} assignment: reported, never created. */
    MISSING,
    /** The assignment assigns neither MCSB v1 nor v2: reported, not guessed, never written. */
    UNRECOGNIZED,
    /** The scope does not cover the monitoring effect (a VM or resource-group scope). */
    NOT_IN_SCOPE
}
