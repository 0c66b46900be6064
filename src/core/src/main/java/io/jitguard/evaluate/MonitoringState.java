package io.jitguard.evaluate;

public enum MonitoringState {
    /** Parameter absent (the initiative default), {@code AuditIfNotExists} or {@code Audit}. */
    COMPLIANT,
    /** Set to {@code Disabled} (or any other value that does not audit): fixed. */
    DISABLED,
    /** No {@code SecurityCenterBuiltIn} assignment: reported, never created. */
    MISSING,
    /** The scope does not cover the monitoring effect (a VM or resource-group scope). */
    NOT_IN_SCOPE
}
