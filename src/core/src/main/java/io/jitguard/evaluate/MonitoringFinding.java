package io.jitguard.evaluate;

/**
 * @param effectBefore the parameter as read; null when absent (the initiative default); {@code Disabled (override)}
 *                     when an override switched the JIT audit off
 * @param assignmentId null when the assignment is missing or not in scope
 * @param reason       what else to report (unrecognized initiative, exemptions, notScopes with VMs); null when none
 */
public record MonitoringFinding(String subscriptionId, MonitoringState state, String effectBefore,
                                String assignmentId, String reason) {
    public MonitoringFinding(String subscriptionId, MonitoringState state, String effectBefore, String assignmentId) {
        this(subscriptionId, state, effectBefore, assignmentId, null);
    }
}
