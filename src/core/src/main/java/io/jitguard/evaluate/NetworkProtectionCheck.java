package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.List;

/**
 * JIT opens ports through an NSG or an Azure Firewall with Rules (Classic) ({@link FirewallSupport}): a VM with neither on its NICs, their subnets or its virtual
 * network cannot be protected. NICs and subnets referenced but not observed protect nothing (unknown); the virtual
 * network of a subnet comes from the subnet id itself, so a firewall still counts for a subnet that was not read.
 */
public final class NetworkProtectionCheck implements VmCheck {
    public static final String REASON =
            "no network security group on its NICs or subnets and no Azure Firewall in its virtual network";

    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        return ctx.network().protectedByNetwork() ? List.of()
                : List.of(Finding.report(FindingKind.NO_NETWORK_PROTECTION,
                FirewallSupport.unprotectedReason(ctx.subscription(), ctx.vm(), REASON)));
    }
}
