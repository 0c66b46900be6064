package io.jitguard.model;

import java.util.List;
import java.util.Optional;

/**
 * What was read of one subscription for one scope. A VM or resource-group scope holds only that part of the
 * subscription (and the networking it refers to); {@code monitoringInScope} says whether the assignment belongs to
 * this scope.
 *
 * @param deletedVmIds       ids listed in a JIT policy whose VM is confirmed gone: absent from the VM listing and a GET
 *                           answered 404 (never on a list miss alone, a 403 or any other error)
 * @param exemptions         policy exemptions of the subscription that cover the JIT audit (reported only)
 * @param readNotes          non-fatal read problems worth reporting (e.g. exemptions could not be listed)
 * @param nsgs               the network security groups read for the scope's VMs (their rules), for exposure
 * @param readAt             when it was read (JIT requests still open, the deny-rule grace period)
 * @param adminRules         AVNM security admin rules in effect, by lower-cased virtual network id; a VNet absent
 *                           here has none (or they were not read: then {@code readNotes} says so)
 */
public record ObservedSubscription(String subscriptionId, DefenderPlan defenderPlan, boolean monitoringInScope,
                                   Optional<MonitoringAssignment> assignment, List<ResourceGroup> resourceGroups,
                                   List<Vm> vms, List<Nic> nics, List<Subnet> subnets, List<Firewall> firewalls,
                                   List<JitPolicy> policies, List<String> deletedVmIds,
                                   List<PolicyExemption> exemptions, List<String> readNotes,
                                   List<NetworkSecurityGroup> nsgs, java.time.Instant readAt,
                                   java.util.Map<String, List<AdminRule>> adminRules) {
    public ObservedSubscription {
        adminRules = adminRules == null ? java.util.Map.of() : java.util.Map.copyOf(adminRules);
        nsgs = nsgs == null ? List.of() : List.copyOf(nsgs);
        readAt = readAt == null ? java.time.Instant.now() : readAt;
        deletedVmIds = List.copyOf(deletedVmIds);
        exemptions = List.copyOf(exemptions);
        readNotes = List.copyOf(readNotes);
        resourceGroups = List.copyOf(resourceGroups);
        vms = List.copyOf(vms);
        nics = List.copyOf(nics);
        subnets = List.copyOf(subnets);
        firewalls = List.copyOf(firewalls);
        policies = List.copyOf(policies);
    }

    /** Without AVNM admin rules. */
    public ObservedSubscription(String subscriptionId, DefenderPlan defenderPlan, boolean monitoringInScope,
                                Optional<MonitoringAssignment> assignment, List<ResourceGroup> resourceGroups,
                                List<Vm> vms, List<Nic> nics, List<Subnet> subnets, List<Firewall> firewalls,
                                List<JitPolicy> policies, List<String> deletedVmIds,
                                List<PolicyExemption> exemptions, List<String> readNotes,
                                List<NetworkSecurityGroup> nsgs, java.time.Instant readAt) {
        this(subscriptionId, defenderPlan, monitoringInScope, assignment, resourceGroups, vms, nics, subnets, firewalls,
                policies, deletedVmIds, exemptions, readNotes, nsgs, readAt, java.util.Map.of());
    }

    public ObservedSubscription(String subscriptionId, DefenderPlan defenderPlan, boolean monitoringInScope,
                                Optional<MonitoringAssignment> assignment, List<ResourceGroup> resourceGroups,
                                List<Vm> vms, List<Nic> nics, List<Subnet> subnets, List<Firewall> firewalls,
                                List<JitPolicy> policies) {
        this(subscriptionId, defenderPlan, monitoringInScope, assignment, resourceGroups, vms, nics, subnets, firewalls,
                policies, List.of(), List.of(), List.of());
    }

    /** Without NSGs, read now. */
    public ObservedSubscription(String subscriptionId, DefenderPlan defenderPlan, boolean monitoringInScope,
                                Optional<MonitoringAssignment> assignment, List<ResourceGroup> resourceGroups,
                                List<Vm> vms, List<Nic> nics, List<Subnet> subnets, List<Firewall> firewalls,
                                List<JitPolicy> policies, List<String> deletedVmIds,
                                List<PolicyExemption> exemptions, List<String> readNotes) {
        this(subscriptionId, defenderPlan, monitoringInScope, assignment, resourceGroups, vms, nics, subnets, firewalls,
                policies, deletedVmIds, exemptions, readNotes, List.of(), null);
    }

    /** The same observation keeping only {@code kept} of its VMs. */
    public ObservedSubscription withVms(List<Vm> kept) {
        return new ObservedSubscription(subscriptionId, defenderPlan, monitoringInScope, assignment, resourceGroups,
                kept, nics, subnets, firewalls, policies, deletedVmIds, exemptions, readNotes, nsgs, readAt, adminRules);
    }

    /** The same observation with what exposure reads: the NSGs, the AVNM admin rules and the read notes that go with them. */
    public ObservedSubscription withExposure(List<NetworkSecurityGroup> readNsgs,
                                             java.util.Map<String, List<AdminRule>> readAdminRules,
                                             List<String> notes) {
        return new ObservedSubscription(subscriptionId, defenderPlan, monitoringInScope, assignment, resourceGroups,
                vms, nics, subnets, firewalls, policies, deletedVmIds, exemptions, notes, readNsgs, readAt,
                readAdminRules);
    }

    /** The same observation with one more read note. */
    public ObservedSubscription withReadNote(String note) {
        List<String> notes = new java.util.ArrayList<>(readNotes);
        notes.add(note);
        return withExposure(nsgs, adminRules, notes);
    }
}
