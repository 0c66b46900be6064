package io.jitguard.read;

/**
 * How many VMs a resource group held when the estate was counted.
 *
 * @param subscriptionId the subscription (a GUID)
 * @param resourceGroup  the resource group's name, as the census wrote it (compare case-insensitively)
 * @param vms            the VMs counted, at least 1
 */
public record VmCount(String subscriptionId, String resourceGroup, long vms) {
    public VmCount {
        if (subscriptionId == null || subscriptionId.isBlank()) {
            throw new IllegalArgumentException("a VM count names its subscription");
        }
        if (resourceGroup == null || resourceGroup.isBlank()) {
            throw new IllegalArgumentException("a VM count names its resource group");
        }
        if (vms < 1) {
            throw new IllegalArgumentException("a VM count is at least 1: " + vms);
        }
    }
}
