package io.jitguard.plan;

import io.jitguard.model.ArmId;
import io.jitguard.baseline.Baseline;
import java.util.List;
import java.util.Map;

/**
 * One PUT of one JIT policy: every VM of its resource group and location that needs a fix, merged into one write.
 *
 * @param create       true when no policy of that name was read (a new {@code default}, say)
 * @param vmIds        the VMs this write must cover with the baseline
 * @param removeVmIds  entries of VMs confirmed deleted, removed in the same write ({@link DeletedVmEntries})
 * @param vmPorts      lower-cased VM id → that VM's baseline ports ({@link Baseline#portsFor}), only for VMs whose
 *                     ports differ from {@link Baseline#ports()}
 */
public record PolicyWrite(String policyId, String subscriptionId, String resourceGroup, String location,
                          String name, boolean create, List<String> vmIds, List<String> removeVmIds,
                          Map<String, List<Integer>> vmPorts) {
    public PolicyWrite {
        vmIds = List.copyOf(vmIds);
        removeVmIds = List.copyOf(removeVmIds);
        vmPorts = Map.copyOf(vmPorts);
    }

    public PolicyWrite(String policyId, String subscriptionId, String resourceGroup, String location, String name,
                       boolean create, List<String> vmIds, List<String> removeVmIds) {
        this(policyId, subscriptionId, resourceGroup, location, name, create, vmIds, removeVmIds, Map.of());
    }

    /** The ports this write must give {@code vmId}: its own profile, else the baseline's. */
    public List<Integer> portsOf(String vmId, Baseline baseline) {
        return vmPorts.getOrDefault(ArmId.key(vmId), baseline.ports());
    }

    public PolicyWrite(String policyId, String subscriptionId, String resourceGroup, String location, String name,
                       boolean create, List<String> vmIds) {
        this(policyId, subscriptionId, resourceGroup, location, name, create, vmIds, List.of());
    }

    public PolicyWrite withRemoveVmIds(List<String> ids) {
        return new PolicyWrite(policyId, subscriptionId, resourceGroup, location, name, create, vmIds, ids, vmPorts);
    }

    public PolicyWrite withVmIds(List<String> ids) {
        return new PolicyWrite(policyId, subscriptionId, resourceGroup, location, name, create, ids, removeVmIds,
                vmPorts);
    }
}
