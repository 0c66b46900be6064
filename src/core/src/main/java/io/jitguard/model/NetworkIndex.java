package io.jitguard.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one NIC → subnet → NSG / firewall walk, over NICs, subnets and firewalls indexed by lower-cased id once (used
 * by the evaluator to decide whether a VM is network-protected and by the inventory to decide whether firewalls
 * must be listed at all). NICs and subnets referenced but not observed are reported as unknown, never as
 * protected.
 */
public final class NetworkIndex {
    private final Map<String, Nic> nics = new HashMap<>();
    private final Map<String, Subnet> subnets = new HashMap<>();
    private final Map<String, List<Firewall>> firewallsByVnet = new HashMap<>();

    public NetworkIndex(List<Nic> nics, List<Subnet> subnets, List<Firewall> firewalls) {
        nics.forEach(n -> this.nics.putIfAbsent(ArmId.key(n.id()), n));
        subnets.forEach(s -> this.subnets.putIfAbsent(ArmId.key(s.id()), s));
        for (Firewall fw : firewalls) {
            Set<String> vnets = new LinkedHashSet<>();
            fw.subnetIds().forEach(s -> vnetOf(s).ifPresent(vnets::add));
            vnets.forEach(v -> firewallsByVnet.computeIfAbsent(v, k -> new ArrayList<>()).add(fw));
        }
    }

    /**
     * What the walk found for one VM.
     *
     * @param nics          its NICs that were observed
     * @param unknownNics   true when a NIC id of the VM was not observed
     * @param subnetIds     the subnet ids of its observed NICs (as the NICs name them, distinct case-insensitively)
     * @param subnets       those subnets that were observed
     * @param nsgIds        NSGs on its NICs and on their observed subnets
     * @param firewalls     Azure Firewalls in the virtual network of one of its subnets
     * @param everyPathNsg  true when the VM has NICs, every NIC was observed, and every NIC has an NSG or has subnets
     *                      that were all observed and all have an NSG
     */
    public record Walk(List<Nic> nics, boolean unknownNics, List<String> subnetIds, List<Subnet> subnets,
                       List<String> nsgIds, List<Firewall> firewalls, boolean everyPathNsg) {
        /** An NSG on a NIC or subnet, or an Azure Firewall JIT can use ({@link Firewall#supportsJit()}) in the virtual network. */
        public boolean protectedByNetwork() {
            return !nsgIds.isEmpty() || firewalls.stream().anyMatch(Firewall::supportsJit);
        }
    }

    public Walk walk(Vm vm) {
        List<Nic> found = new ArrayList<>();
        Map<String, String> subnetIds = new java.util.LinkedHashMap<>();
        List<Subnet> foundSubnets = new ArrayList<>();
        Set<String> nsgs = new LinkedHashSet<>();
        boolean unknownNics = false;
        boolean everyPathNsg = !vm.nicIds().isEmpty();
        for (String nicId : vm.nicIds()) {
            Nic nic = nics.get(ArmId.key(nicId));
            if (nic == null) {
                unknownNics = true;
                everyPathNsg = false;
                continue;
            }
            found.add(nic);
            boolean nicNsg = present(nic.nsgId());
            if (nicNsg) {
                nsgs.add(nic.nsgId());
            } else if (nic.subnetIds().isEmpty()) {
                everyPathNsg = false;
            }
            for (String subnetId : nic.subnetIds()) {
                Subnet subnet = subnets.get(ArmId.key(subnetId));
                if (!nicNsg && (subnet == null || !present(subnet.nsgId()))) {
                    everyPathNsg = false;
                }
                if (subnetIds.putIfAbsent(ArmId.key(subnetId), subnetId) == null && subnet != null) {
                    foundSubnets.add(subnet);
                    if (present(subnet.nsgId())) {
                        nsgs.add(subnet.nsgId());
                    }
                }
            }
        }
        Set<Firewall> firewalls = new LinkedHashSet<>();
        for (String subnetId : subnetIds.keySet()) {
            vnetOf(subnetId).ifPresent(v -> firewalls.addAll(firewallsByVnet.getOrDefault(v, List.of())));
        }
        return new Walk(List.copyOf(found), unknownNics, List.copyOf(subnetIds.values()), List.copyOf(foundSubnets),
                List.copyOf(nsgs), List.copyOf(firewalls), everyPathNsg);
    }

    /** The virtual network id of a subnet id (lower case): everything before {@code /subnets/}. */
    public static Optional<String> vnetOf(String subnetId) {
        String lower = ArmId.key(subnetId);
        int i = lower.indexOf("/subnets/");
        return i < 0 ? Optional.empty() : Optional.of(lower.substring(0, i));
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
