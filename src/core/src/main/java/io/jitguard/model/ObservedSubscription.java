package io.jitguard.model;

import java.util.List;
import java.util.Optional;

/**
 * What was read of one subscription for one scope. A VM or resource-group scope holds only that part of the
 * subscription (and the networking it refers to); {@code monitoringInScope} says whether the assignment belongs to
 * this scope.
 */
public record ObservedSubscription(String subscriptionId, DefenderPlan defenderPlan, boolean monitoringInScope,
                                   Optional<MonitoringAssignment> assignment, List<ResourceGroup> resourceGroups,
                                   List<Vm> vms, List<Nic> nics, List<Subnet> subnets, List<Firewall> firewalls,
                                   List<JitPolicy> policies) {
    public ObservedSubscription {
        resourceGroups = List.copyOf(resourceGroups);
        vms = List.copyOf(vms);
        nics = List.copyOf(nics);
        subnets = List.copyOf(subnets);
        firewalls = List.copyOf(firewalls);
        policies = List.copyOf(policies);
    }
}
