package io.jitguard.plan;

import java.util.List;

/**
 * One PUT of one JIT policy: every VM of its resource group and location that needs a fix, merged into one write.
 *
 * @param create       true when no policy of that name was read (a new {@code default}, say)
 * @param vmIds        the VMs this write must cover with the baseline
 * @param removeVmIds  entries of VMs confirmed deleted, removed in the same write ({@link DeletedVmEntries})
 */
public record PolicyWrite(String policyId, String subscriptionId, String resourceGroup, String location,
                          String name, boolean create, List<String> vmIds, List<String> removeVmIds) {
    public PolicyWrite {
        vmIds = List.copyOf(vmIds);
        removeVmIds = List.copyOf(removeVmIds);
    }

    public PolicyWrite(String policyId, String subscriptionId, String resourceGroup, String location, String name,
                       boolean create, List<String> vmIds) {
        this(policyId, subscriptionId, resourceGroup, location, name, create, vmIds, List.of());
    }

    public PolicyWrite withVmIds(List<String> ids) {
        return new PolicyWrite(policyId, subscriptionId, resourceGroup, location, name, create, ids, removeVmIds);
    }
}
