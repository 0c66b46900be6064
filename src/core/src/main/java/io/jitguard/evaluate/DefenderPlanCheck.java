package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.List;

/** JIT needs Defender for Servers Plan 2 on the subscription: without it no JIT write is attempted. */
public final class DefenderPlanCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        if (ctx.defenderPlan().enablesJit()) {
            return List.of();
        }
        return List.of(Finding.report(FindingKind.PLAN_MISSING, ctx.defenderPlan().blockedReason()));
    }
}
