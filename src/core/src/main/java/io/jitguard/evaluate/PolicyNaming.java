package io.jitguard.evaluate;

import io.jitguard.model.ArmId;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.Vm;
import java.util.List;
import java.util.Optional;

/**
 * Which JIT policy a VM that is in none goes to. Defender requires policy name + VM name to be at most 56
 * characters. Shared by the evaluator (which reports the target and calls VMs no name can hold unsupported) and
 * the planner (which writes it).
 *
 * <p>The policy named {@code default} of the VM's resource group and location (existing, else new) when policy +
 * VM name fit; else the one named {@code j} (existing, else new). Never another existing policy: a VM does not land
 * in someone's {@code ops-jit} because it happens to be there. A VM whose name is 56 characters or longer fits no
 * name.
 */
public final class PolicyNaming {
    public static final int MAX_COMBINED_LENGTH = 56;
    public static final String DEFAULT_NAME = "default";
    public static final String FALLBACK_NAME = "j";

    private PolicyNaming() {
    }

    /**
     * @param id     the policy id (as read for an existing policy; built from the VM's ids for a new one)
     * @param create true when no policy of that name was read in the VM's resource group and location
     */
    public record Target(String id, String name, boolean create) {
    }

    public static boolean fits(String policyName, String vmName) {
        return policyName.length() + vmName.length() <= MAX_COMBINED_LENGTH;
    }

    /** True when some policy name can hold the VM. */
    public static boolean nameable(String vmName) {
        return fits(FALLBACK_NAME, vmName);
    }

    public static boolean inRgAndLocation(JitPolicy policy, Vm vm) {
        return policy.resourceGroup().equalsIgnoreCase(vm.resourceGroup())
                && policy.location().equalsIgnoreCase(vm.location());
    }

    /** Where a VM listed in no policy of its resource group and location goes; empty when no name can hold it. */
    public static Optional<Target> target(Vm vm, List<JitPolicy> policies) {
        String vmName = vm.name();
        if (!nameable(vmName)) {
            return Optional.empty();
        }
        String name = fits(DEFAULT_NAME, vmName) ? DEFAULT_NAME : FALLBACK_NAME;
        Optional<JitPolicy> existing = policies.stream()
                .filter(p -> inRgAndLocation(p, vm) && p.name().equalsIgnoreCase(name)).findFirst();
        if (existing.isPresent()) {
            return Optional.of(existing(existing.get()));
        }
        return Optional.of(new Target(
                policyId(vm.subscriptionId(), vm.resourceGroup(), vm.location(), name), name, true));
    }

    private static Target existing(JitPolicy p) {
        return new Target(p.id(), p.name(), false);
    }

    public static String policyId(String subscriptionId, String resourceGroup, String location, String name) {
        return ArmId.resourceGroup(subscriptionId, resourceGroup).provider("Microsoft.Security", "locations", location)
                .child("jitNetworkAccessPolicies", name).toString();
    }
}
