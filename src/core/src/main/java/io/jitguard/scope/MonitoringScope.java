package io.jitguard.scope;

/** Only the monitoring effect of a subscription's {@code SecurityCenterBuiltIn} assignment. */
public record MonitoringScope(String subscriptionId) implements Scope {
    public static final String ASSIGNMENT_NAME = "SecurityCenterBuiltIn";

    @Override
    public String id() {
        return "/subscriptions/" + subscriptionId + "/providers/Microsoft.Authorization/policyAssignments/"
                + ASSIGNMENT_NAME;
    }

    @Override
    public boolean covers(Scope other) {
        return other instanceof MonitoringScope && other.subscriptionId().equalsIgnoreCase(subscriptionId);
    }
}
