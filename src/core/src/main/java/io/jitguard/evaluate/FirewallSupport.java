package io.jitguard.evaluate;

import io.jitguard.model.Firewall;
import io.jitguard.model.NetworkIndex;
import io.jitguard.model.Nic;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.Vm;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which Azure Firewalls JIT can use. Defender for Cloud: "Just-in-time access doesn't support VMs protected by Azure
 * Firewalls controlled by Azure Firewall Manager. The Azure Firewall must be configured with Rules (Classic) and can't
 * use Firewall policies." (learn.microsoft.com/azure/defender-for-cloud/just-in-time-access-overview). A firewall with
 * {@code properties.firewallPolicy}, a hub SKU ({@code AZFW_Hub}) or a {@code properties.virtualHub} is managed by
 * Firewall Manager: it protects nothing for JIT. Pure.
 */
public final class FirewallSupport {
    public static final String REASON_MANAGED_FIREWALL_ONLY = "protected only by an Azure Firewall managed by Firewall"
            + " Manager / a hub firewall; JIT supports only firewalls with Rules (Classic)";

    private FirewallSupport() {
    }

    /** True for a classic-rules firewall in a virtual network (no firewall policy, not in a hub). */
    public static boolean supportsJit(Firewall fw) {
        return fw.supportsJit();
    }

    /**
     * The reason a VM without an NSG and without a JIT-usable firewall is unsupported: the Firewall Manager reason when
     * such a firewall sits in (or is the hub of) the VM's network, else {@code fallback}.
     */
    public static String unprotectedReason(ObservedSubscription observed, Vm vm, String fallback) {
        Set<String> vnets = vnetsOf(observed, vm);
        for (Firewall fw : observed.firewalls()) {
            if (!supportsJit(fw) && fw.subnetIds().stream()
                    .anyMatch(s -> NetworkIndex.vnetOf(s).map(vnets::contains).orElse(false))) {
                return REASON_MANAGED_FIREWALL_ONLY;
            }
        }
        // A secured-hub firewall has no subnet in the spoke: its presence in the subscription is all that is known.
        if (!vnets.isEmpty() && observed.firewalls().stream().anyMatch(fw -> !blank(fw.virtualHubId())
                || (fw.skuName() != null && fw.skuName().equalsIgnoreCase("AZFW_Hub")))) {
            return REASON_MANAGED_FIREWALL_ONLY;
        }
        return fallback;
    }

    private static Set<String> vnetsOf(ObservedSubscription observed, Vm vm) {
        Set<String> vnets = new HashSet<>();
        for (String nicId : vm.nicIds()) {
            Optional<Nic> nic = observed.nics().stream().filter(n -> n.id().equalsIgnoreCase(nicId)).findFirst();
            nic.ifPresent(n -> n.subnetIds().forEach(s -> NetworkIndex.vnetOf(s).ifPresent(vnets::add)));
        }
        return vnets;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
