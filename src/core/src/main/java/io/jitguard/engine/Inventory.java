package io.jitguard.engine;

import io.jitguard.model.ObservedSubscription;
import io.jitguard.scope.Scope;
import java.util.List;

/** Reads the current state of a scope. Throws {@link io.jitguard.arm.ArmException} when ARM refuses or fails. */
public interface Inventory {
    /** Ids of every subscription the identity can list. */
    List<String> subscriptions();

    ObservedSubscription read(Scope scope);
}
