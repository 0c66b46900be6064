package io.jitguard.plan;

/** One PUT of a {@code SecurityCenterBuiltIn} assignment setting {@code jitNetworkAccessMonitoringEffect}. */
public record AssignmentWrite(String assignmentId, String subscriptionId) {
}
