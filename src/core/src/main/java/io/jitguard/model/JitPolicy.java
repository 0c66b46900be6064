package io.jitguard.model;

import java.util.List;

/**
 * A JIT network access policy as read.
 *
 * @param json the whole document as ARM returned it: a PUT replaces the policy, so writes start from this and keep
 *             everything in it (VMs, ports, requests, fields jitguard does not know)
 */
public record JitPolicy(String id, String subscriptionId, String resourceGroup, String location, String name,
                        List<JitVm> virtualMachines, String json) {
    public JitPolicy {
        virtualMachines = List.copyOf(virtualMachines);
    }

    /** {@link #id()} as an {@link ArmId}. */
    public ArmId armId() {
        return ArmId.parse(id);
    }
}
