package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import io.jitguard.model.Firewall;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.Nic;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.Subnet;
import io.jitguard.model.Vm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Observed state + baseline → findings. Pure. Per VM, the first that applies wins: excluded, unsupported, blocked,
 * then compliant / loose / missing against the policies of the VM's resource group and location.
 */
public final class Evaluator {
    public static final String REASON_CLASSIC = "classic VM: JIT supports only Azure Resource Manager VMs";
    public static final String REASON_NO_NETWORK_PROTECTION =
            "no network security group on its NICs or subnets and no Azure Firewall in its virtual network";
    public static final String REASON_NAME_TOO_LONG = "VM name is too long: no JIT policy name fits, as policy name"
            + " + VM name may be at most " + PolicyNaming.MAX_COMBINED_LENGTH + " characters";

    private Evaluator() {
    }

    public static SubscriptionFindings evaluate(ObservedSubscription observed, Baseline baseline) {
        List<VmFinding> vms = new ArrayList<>();
        for (Vm vm : observed.vms()) {
            vms.add(evaluateVm(observed, vm, baseline));
        }
        return new SubscriptionFindings(observed, monitoring(observed), vms);
    }

    static MonitoringFinding monitoring(ObservedSubscription observed) {
        return MonitoringForms.finding(observed);
    }

    static VmFinding evaluateVm(ObservedSubscription observed, Vm vm, Baseline baseline) {
        Optional<String> exclusion = exclusion(observed, vm, baseline);
        if (exclusion.isPresent()) {
            return finding(vm, VmState.EXCLUDED, exclusion.get(), null, List.of());
        }
        if (vm.classic()) {
            return finding(vm, VmState.UNSUPPORTED, REASON_CLASSIC, null, List.of());
        }
        if (!networkProtected(observed, vm)) {
            return finding(vm, VmState.UNSUPPORTED,
                    FirewallSupport.unprotectedReason(observed, vm, REASON_NO_NETWORK_PROTECTION), null, List.of());
        }
        if (!PolicyNaming.nameable(vm.name())) {
            return finding(vm, VmState.UNSUPPORTED, REASON_NAME_TOO_LONG + " (" + vm.name().length() + ")", null,
                    List.of());
        }
        if (!observed.defenderPlan().enablesJit()) {
            return finding(vm, VmState.BLOCKED, observed.defenderPlan().blockedReason(), null, List.of());
        }
        List<Listing> listings = listings(observed, vm);
        for (Listing l : listings) {
            if (RuleCheck.covers(l.entry().ports(), baseline)) {
                return finding(vm, VmState.COMPLIANT, "", l.policy().id(), List.of());
            }
        }
        if (!listings.isEmpty()) {
            Listing l = listings.get(0);
            List<String> gaps = RuleCheck.gapTexts(l.entry().ports(), baseline);
            return finding(vm, VmState.LOOSE, "policy " + l.policy().name() + " is looser than the baseline: "
                    + String.join("; ", gaps), l.policy().id(), gaps);
        }
        PolicyNaming.Target target = PolicyNaming.target(vm, observed.policies()).orElseThrow();
        List<String> gaps = new ArrayList<>();
        gaps.add("add to policy " + target.name());
        gaps.addAll(RuleCheck.gapTexts(List.of(), baseline));
        return finding(vm, VmState.MISSING, "in no JIT policy of resource group " + vm.resourceGroup()
                + " and location " + vm.location(), target.id(), gaps);
    }

    private static VmFinding finding(Vm vm, VmState state, String reason, String policyId, List<String> gaps) {
        return new VmFinding(vm, state, reason, policyId, gaps);
    }

    /** A policy of the VM's resource group and location and the entry in it that lists the VM. */
    public record Listing(JitPolicy policy, JitVm entry) {
    }

    /** Policies of the VM's resource group and location listing it, ordered by name then id (deterministic). */
    public static List<Listing> listings(ObservedSubscription observed, Vm vm) {
        List<Listing> out = new ArrayList<>();
        observed.policies().stream()
                .filter(p -> PolicyNaming.inRgAndLocation(p, vm))
                .sorted(Comparator.comparing(JitPolicy::name, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(JitPolicy::id, String.CASE_INSENSITIVE_ORDER))
                .forEach(p -> p.virtualMachines().stream()
                        .filter(e -> e.id() != null && e.id().equalsIgnoreCase(vm.id()))
                        .findFirst()
                        .ifPresent(e -> out.add(new Listing(p, e))));
        return out;
    }

    /** Why the VM is excluded ("tagged jitguard-exclude=true on the VM" / "… on resource group rg1"), if it is. */
    static Optional<String> exclusion(ObservedSubscription observed, Vm vm, Baseline baseline) {
        String tag = "tagged " + baseline.exclusionTag() + "=true on ";
        if (tagged(vm.tags(), baseline.exclusionTag())) {
            return Optional.of(tag + "the VM");
        }
        return observed.resourceGroups().stream()
                .filter(rg -> rg.name().equalsIgnoreCase(vm.resourceGroup()))
                .filter(rg -> tagged(rg.tags(), baseline.exclusionTag()))
                .map(rg -> tag + "resource group " + rg.name())
                .findFirst();
    }

    private static boolean tagged(Map<String, String> tags, String tag) {
        return tags.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase(tag)
                && e.getValue() != null && e.getValue().trim().equalsIgnoreCase("true"));
    }

    /**
     * An NSG on one of its NICs, or on a subnet of those NICs, or an Azure Firewall in the virtual network of one of
     * those subnets. NICs and subnets referenced but not observed protect nothing (unknown); the virtual network of a
     * subnet comes from the subnet id itself, so a firewall still counts for a subnet that was not read.
     */
    static boolean networkProtected(ObservedSubscription observed, Vm vm) {
        Set<String> subnetIds = new HashSet<>();
        for (String nicId : vm.nicIds()) {
            Optional<Nic> nic = observed.nics().stream().filter(n -> n.id().equalsIgnoreCase(nicId)).findFirst();
            if (nic.isEmpty()) {
                continue;
            }
            if (present(nic.get().nsgId())) {
                return true;
            }
            nic.get().subnetIds().forEach(s -> subnetIds.add(lower(s)));
        }
        for (Subnet subnet : observed.subnets()) {
            if (subnetIds.contains(lower(subnet.id())) && present(subnet.nsgId())) {
                return true;
            }
        }
        Set<String> vnets = new HashSet<>();
        subnetIds.forEach(s -> vnetOf(s).ifPresent(vnets::add));
        for (Firewall fw : observed.firewalls()) {
            if (!FirewallSupport.supportsJit(fw)) {
                continue;
            }
            for (String s : fw.subnetIds()) {
                if (vnetOf(lower(s)).map(vnets::contains).orElse(false)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The virtual network id of a subnet id (lower case): everything before {@code /subnets/}. */
    public static Optional<String> vnetOf(String subnetId) {
        String lower = lower(subnetId);
        int i = lower.indexOf("/subnets/");
        return i < 0 ? Optional.empty() : Optional.of(lower.substring(0, i));
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
