package io.jitguard.scope;

/**
 * The identity of what to reconcile, never an event's content: the pipeline reads the current state itself.
 * Every trigger (event, timer, HTTP, CLI) becomes one of these.
 */
public sealed interface Scope permits SubscriptionScope, ResourceGroupScope, VmScope, MonitoringScope {
    String subscriptionId();

    /** An ARM-style id naming the scope, for reports, logs and de-duplication. */
    String id();

    /** True when reconciling {@code this} also reconciles everything {@code other} covers. */
    boolean covers(Scope other);
}
