package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The VM is listed in a JIT policy of its resource group and location whose rules meet the baseline
 * ({@link RuleCheck}, the one definition of covered). Else: listed but loose → the gaps of the first listing
 * ({@code LOOSE}); listed nowhere → {@link FindingKind#NOT_IN_POLICY} at {@link PolicyNaming#target} plus every
 * baseline port of the VM ({@link Baseline#portsFor}, {@code MISSING}).
 */
public final class CoverageCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        if (ctx.coveredBy(baseline).isPresent()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        if (!ctx.listings().isEmpty()) {
            Evaluator.Listing l = ctx.listings().get(0);
            PolicyNaming.Target policy = new PolicyNaming.Target(l.policy().id(), l.policy().name(), false);
            RuleCheck.check(l.entry().ports(), baseline.portsFor(ctx.vm()), baseline)
                    .forEach(g -> out.add(Finding.gap(policy, g)));
            return out;
        }
        Optional<PolicyNaming.Target> target = ctx.target();
        if (target.isEmpty()) {
            return List.of(); // no name can hold it: NameLengthCheck has already stopped it
        }
        out.add(new Finding(FindingKind.NOT_IN_POLICY, "in no JIT policy of resource group "
                + ctx.vm().resourceGroup() + " and location " + ctx.vm().location(), target.get(), null));
        RuleCheck.check(List.of(), baseline.portsFor(ctx.vm()), baseline)
                .forEach(g -> out.add(Finding.gap(target.get(), g)));
        return out;
    }
}
