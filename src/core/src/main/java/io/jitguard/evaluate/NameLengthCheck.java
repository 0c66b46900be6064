package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.List;

/** Defender requires policy name + VM name ≤ {@value PolicyNaming#MAX_COMBINED_LENGTH}: no policy can hold it. */
public final class NameLengthCheck implements VmCheck {
    public static final String REASON = "VM name is too long: no JIT policy name fits, as policy name"
            + " + VM name may be at most " + PolicyNaming.MAX_COMBINED_LENGTH + " characters";

    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        String name = ctx.vm().name();
        return PolicyNaming.nameable(name) ? List.of()
                : List.of(Finding.report(FindingKind.NAME_TOO_LONG, REASON + " (" + name.length() + ")"));
    }
}
