package io.jitguard.evaluate;

import io.jitguard.model.ArmId;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.NetworkIndex;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.ResourceGroup;
import io.jitguard.model.Vm;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link ObservedSubscription} indexed once by lower-cased id (NICs, subnets, firewalls by virtual network,
 * resource groups by name, JIT policies by resource group + location), so that building each VM's
 * {@link VmContext} costs map lookups, not scans of the whole subscription.
 */
public final class SubscriptionIndex {
    private static final Comparator<JitPolicy> BY_NAME_THEN_ID =
            Comparator.comparing(JitPolicy::name, String.CASE_INSENSITIVE_ORDER)
                    .thenComparing(JitPolicy::id, String.CASE_INSENSITIVE_ORDER);

    private final ObservedSubscription observed;
    private final NetworkIndex network;
    private final Map<String, ResourceGroup> groups = new HashMap<>();
    private final Map<String, List<JitPolicy>> policiesByRgAndLocation = new HashMap<>();
    private final ExposureInputs exposure;
    /** Per policy, its first entry for each VM id (lower-cased): a VM finds its entries by lookup. */
    private final Map<JitPolicy, Map<String, JitVm>> entries = new java.util.IdentityHashMap<>();

    public SubscriptionIndex(ObservedSubscription observed) {
        this.observed = observed;
        this.network = new NetworkIndex(observed.nics(), observed.subnets(), observed.firewalls());
        this.exposure = new ExposureInputs(observed.nsgs(), observed.readAt(), observed.adminRules());
        observed.resourceGroups().forEach(rg -> groups.putIfAbsent(ArmId.key(rg.name()), rg));
        for (JitPolicy p : observed.policies()) {
            policiesByRgAndLocation.computeIfAbsent(rgAndLocation(p.resourceGroup(), p.location()),
                    k -> new ArrayList<>()).add(p);
            Map<String, JitVm> byVm = new HashMap<>();
            p.virtualMachines().stream().filter(e -> e.id() != null).forEach(e -> byVm.putIfAbsent(ArmId.key(e.id()), e));
            entries.put(p, byVm);
        }
    }

    public ObservedSubscription observed() {
        return observed;
    }

    public VmContext context(Vm vm) {
        return context(vm, Evaluator.todayUtc());
    }

    /** @param today the day (UTC) exclusions are judged on */
    public VmContext context(Vm vm, LocalDate today) {
        List<JitPolicy> here = policiesByRgAndLocation.getOrDefault(rgAndLocation(vm.resourceGroup(), vm.location()),
                List.of());
        List<Evaluator.Listing> listings = new ArrayList<>();
        here.stream().sorted(BY_NAME_THEN_ID)
                .forEach(p -> {
                    JitVm e = entries.get(p).get(ArmId.key(vm.id()));
                    if (e != null) {
                        listings.add(new Evaluator.Listing(p, e));
                    }
                });
        ResourceGroup rg = groups.get(ArmId.key(vm.resourceGroup()));
        return new VmContext(vm, rg == null ? vm.resourceGroup() : rg.name(), rg == null ? Map.of() : rg.tags(),
                network.walk(vm), observed.defenderPlan(), here, listings, observed,
                rg == null ? null : rg.managedBy(), today, exposure);
    }

    private static String rgAndLocation(String resourceGroup, String location) {
        return ArmId.key(resourceGroup) + "|" + ArmId.key(location);
    }
}
