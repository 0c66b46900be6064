package io.jitguard.evaluate;

/**
 * @param effectBefore the parameter as read; null when absent (the initiative default)
 * @param assignmentId null when the assignment is missing or not in scope
 */
public record MonitoringFinding(String subscriptionId, MonitoringState state, String effectBefore,
                                String assignmentId) {
}
