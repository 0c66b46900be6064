package io.jitguard.scope;

import java.util.Optional;

/**
 * The VMs of a resource group, optionally only those of one location (a JIT policy event names its resource group
 * and location).
 */
public record ResourceGroupScope(String subscriptionId, String resourceGroup, Optional<String> location)
        implements Scope {

    public ResourceGroupScope(String subscriptionId, String resourceGroup) {
        this(subscriptionId, resourceGroup, Optional.empty());
    }

    @Override
    public String id() {
        String rg = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup;
        return location.map(l -> rg + "/providers/Microsoft.Security/locations/" + l).orElse(rg);
    }

    @Override
    public boolean covers(Scope other) {
        if (!other.subscriptionId().equalsIgnoreCase(subscriptionId)) {
            return false;
        }
        if (other instanceof VmScope vm) {
            return vm.resourceGroup().equalsIgnoreCase(resourceGroup) && location.isEmpty();
        }
        if (other instanceof ResourceGroupScope rg) {
            return rg.resourceGroup().equalsIgnoreCase(resourceGroup)
                    && (location.isEmpty() || rg.location().map(l -> l.equalsIgnoreCase(location.get())).orElse(false));
        }
        return false;
    }
}
