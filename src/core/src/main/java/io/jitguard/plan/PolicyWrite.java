package io.jitguard.plan;

import java.util.List;

/**
 * One PUT of one JIT policy: every VM of its resource group and location that needs a fix, merged into one write.
 *
 * @param create true when no policy of that name was read (a new {@code default}, say)
 * @param vmIds  the VMs this write must cover with the baseline
 */
public record PolicyWrite(String policyId, String subscriptionId, String resourceGroup, String location,
                          String name, boolean create, List<String> vmIds) {
    public PolicyWrite {
        vmIds = List.copyOf(vmIds);
    }
}
