package io.jitguard.engine;

import io.jitguard.model.ObservedSubscription;
import io.jitguard.scope.Scope;
import java.util.List;

/** Reads the current state of a scope. Throws {@link io.jitguard.arm.ArmException} when ARM refuses or fails. */
public interface Inventory {
    /** Ids of every subscription the identity can list. */
    List<String> subscriptions();

    ObservedSubscription read(Scope scope);

    /**
     * Reads {@code scope} for the VMs {@code vmIds} (lower-cased ids) only — a bulk read of a burst of VM scopes: what
     * concerns only the scope's other VMs (confirming that a policy entry's VM is deleted) need not be read. The
     * caller keeps only those VMs. Default: {@link #read(Scope)}.
     */
    default ObservedSubscription readFor(Scope scope, java.util.Set<String> vmIds) {
        return read(scope);
    }
}
