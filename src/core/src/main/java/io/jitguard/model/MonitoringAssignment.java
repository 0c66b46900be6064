package io.jitguard.model;

/**
 * The subscription's {@code SecurityCenterBuiltIn} policy assignment.
 *
 * @param effect value of {@code jitNetworkAccessMonitoringEffect}, or null when the parameter is absent (the
 *               initiative default, {@code AuditIfNotExists})
 * @param json   the whole assignment as read; a write changes only the one parameter
 */
public record MonitoringAssignment(String id, String subscriptionId, String effect, String json) {
}
