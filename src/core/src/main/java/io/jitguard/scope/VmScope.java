package io.jitguard.scope;

/** One virtual machine. */
public record VmScope(String subscriptionId, String resourceGroup, String name) implements Scope {
    @Override
    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Compute/virtualMachines/" + name;
    }

    @Override
    public boolean covers(Scope other) {
        return other instanceof VmScope vm && vm.id().equalsIgnoreCase(id());
    }
}
