package io.jitguard.scope;

/** A whole subscription: its VMs, JIT policies and monitoring effect. */
public record SubscriptionScope(String subscriptionId) implements Scope {
    @Override
    public String id() {
        return "/subscriptions/" + subscriptionId;
    }

    @Override
    public boolean covers(Scope other) {
        return other.subscriptionId().equalsIgnoreCase(subscriptionId);
    }
}
