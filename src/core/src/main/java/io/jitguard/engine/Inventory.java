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

    /**
     * What a scope's exposure needs and {@link #read} may leave out, so that nothing an NSG says delays a write:
     * its virtual networks' AVNM security admin rules, and the NSG documents on its VMs' paths that were not listed
     * with it (a lone VM lists none). Exposure is report-only; whether a VM can be protected at all is told by its
     * NICs and subnets, which {@link #read} does read. The reconciler calls this for each scope whose exposure is
     * judged, once the scope's writes are queued (after them for a lone VM), and re-evaluates. Returns
     * {@code observed} with what was missing, unchanged when nothing was; what cannot be read becomes a read note, so
     * exposure says what it could not judge. Every implementation must decide: a wrapper delegates, or exposure is never read.
     */
    ObservedSubscription completeExposure(ObservedSubscription observed);
}
