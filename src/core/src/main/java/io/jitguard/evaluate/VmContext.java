package io.jitguard.evaluate;

import io.jitguard.model.DefenderPlan;
import io.jitguard.model.Firewall;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.NetworkIndex;
import io.jitguard.model.Nic;
import io.jitguard.model.Subnet;
import io.jitguard.model.Vm;
import java.time.LocalDate;
import java.util.List;
import io.jitguard.model.ObservedSubscription;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One VM with everything joined for it, built by map lookups in {@link SubscriptionIndex}: what a {@link VmCheck}
 * may look at. A new check that needs more joins it here (and in {@link SubscriptionIndex#context}).
 *
 * @param resourceGroupName the name of its resource group as observed (the VM's spelling when not observed)
 * @param resourceGroupTags the tags of its resource group (empty when the group was not observed)
 * @param network           its NICs, subnets, NSG ids and the firewalls of its virtual networks
 * @param defenderPlan      the subscription's {@code VirtualMachines} pricing
 * @param policiesHere      the JIT policies of its resource group and location (where a fix may write)
 * @param listings          the policies of its resource group and location that list it, ordered by name then id
 * @param subscription      everything read of its subscription, for the rare check that needs more than the above
 * @param resourceGroupManagedBy the {@code managedBy} of its resource group (null when unmanaged or not observed)
 * @param today             the day (UTC) of the run, from the engine's clock: when exclusions expire
 * @param exposure          the NSGs read and the JIT policies' requests and age (shared by every VM of the subscription)
 */
public record VmContext(Vm vm, String resourceGroupName, Map<String, String> resourceGroupTags,
                        NetworkIndex.Walk network, DefenderPlan defenderPlan, List<JitPolicy> policiesHere,
                        List<Evaluator.Listing> listings, ObservedSubscription subscription,
                        String resourceGroupManagedBy, LocalDate today, ExposureInputs exposure) {
    public VmContext {
        resourceGroupTags = Map.copyOf(resourceGroupTags);
        policiesHere = List.copyOf(policiesHere);
        listings = List.copyOf(listings);
        Objects.requireNonNull(today, "today");
    }

    public List<Nic> nics() {
        return network.nics();
    }

    public List<Subnet> subnets() {
        return network.subnets();
    }

    public List<String> nsgIds() {
        return network.nsgIds();
    }

    public List<Firewall> firewalls() {
        return network.firewalls();
    }

    /** The first listing (in {@link #listings} order) whose entry meets the baseline: the VM is covered. */
    public Optional<Evaluator.Listing> coveredBy(io.jitguard.baseline.Baseline baseline) {
        return listings.stream().filter(l -> RuleCheck.covers(l.entry().ports(), baseline.portsFor(vm), baseline))
                .findFirst();
    }

    /** Where a fix puts a VM listed nowhere; empty when no policy name can hold it. */
    public Optional<PolicyNaming.Target> target() {
        return PolicyNaming.target(vm, policiesHere);
    }
}
