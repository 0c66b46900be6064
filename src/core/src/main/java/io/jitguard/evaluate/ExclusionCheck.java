package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Exclusions;
import java.util.List;
import java.util.Optional;

/**
 * An exclusion someone is accountable for ({@link Exclusions#decide}): an approved {@code JITGUARD_EXCLUSIONS} entry,
 * or the exclusion tag ({@code true} or a last day) on the VM or its resource group unless tags are switched off. An
 * exclusion that applies on {@link VmContext#today()} stops the VM ({@code excluded}, never written); one that has
 * expired does not stop it (the VM is reconciled normally) and is reported as {@code exclusion-expired}.
 */
public final class ExclusionCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        Optional<Exclusions.Decision> decision = baseline.exclusions().decide(ctx.vm().id(), ctx.vm().tags(),
                ctx.resourceGroupTags(), ctx.today());
        return decision.map(d -> List.of(Finding.exclusion(d, reason(d, ctx, baseline)))).orElse(List.of());
    }

    /** The tag {@code true} keeps its words ("tagged jitguard-exclude=true on the VM"); others are described. */
    static String reason(Exclusions.Decision d, VmContext ctx, Baseline baseline) {
        String tagRule = "tag " + baseline.exclusions().tagName() + " on ";
        if (!d.rule().startsWith(tagRule)) {
            return d.excluded() ? d.describe() : "exclusion expired " + d.until() + " (" + d.rule()
                    + (d.reason() == null || d.reason().isBlank() ? "" : ": " + d.reason()) + ")";
        }
        String where = d.rule().endsWith("on the VM") ? "the VM" : "resource group " + ctx.resourceGroupName();
        String tagged = "tagged " + baseline.exclusions().tagName() + "=" + (d.until() == null ? "true" : d.until())
                + " on " + where;
        if (d.until() == null) {
            return tagged;
        }
        return d.excluded() ? tagged + " (excluded until " + d.until() + ")"
                : "exclusion expired " + d.until() + " (" + tagged + ")";
    }
}
