package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.List;

/** A classic ({@code Microsoft.ClassicCompute}) VM: JIT cannot protect it. */
public final class ClassicCheck implements VmCheck {
    public static final String REASON = "classic VM: JIT supports only Azure Resource Manager VMs";

    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        return ctx.vm().classic() ? List.of(Finding.report(FindingKind.CLASSIC, REASON)) : List.of();
    }
}
