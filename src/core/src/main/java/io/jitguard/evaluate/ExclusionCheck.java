package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Exclusions;
import java.util.List;
import java.util.Optional;

/**
 * An exclusion someone is accountable for ({@link Exclusions#decide}): an approved {@code JITGUARD_EXCLUSIONS} entry,
 * or, when tags are on, the exclusion tag (a last day within reach) on the VM or its resource group. An exclusion that
 * applies on {@link VmContext#today()} stops the VM ({@code excluded}, never written); one that has expired, or a tag
 * that was refused, does not stop it (the VM is reconciled normally) and is reported ({@code exclusion-expired},
 * {@code exclusion-refused}).
 */
public final class ExclusionCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        Optional<Exclusions.Decision> decision = baseline.exclusions().decide(ctx.vm().id(), ctx.vm().tags(),
                ctx.resourceGroupTags(), ctx.today());
        return decision.map(d -> List.of(Finding.exclusion(d, reason(d, ctx, baseline)))).orElse(List.of());
    }

    /** A tag is described with its value as found ("tagged jitguard-exclude=2026-12-31 on the VM …"). */
    static String reason(Exclusions.Decision d, VmContext ctx, Baseline baseline) {
        String tagRule = "tag " + baseline.exclusions().tagName() + " on ";
        if (!d.rule().startsWith(tagRule)) {
            return d.excluded() ? d.describe() : "exclusion expired " + d.until() + " (" + d.rule()
                    + (d.reason() == null || d.reason().isBlank() ? "" : ": " + d.reason()) + ")";
        }
        String where = d.rule().endsWith("on the VM") ? "the VM" : "resource group " + ctx.resourceGroupName();
        String tagged = "tagged " + baseline.exclusions().tagName() + "=" + d.tagValue() + " on " + where;
        if (d.refused()) {
            return "exclusion refused (" + tagged + "): " + d.refusal();
        }
        return d.excluded() ? tagged + " (excluded until " + d.until() + ")"
                : "exclusion expired " + d.until() + " (" + tagged + ")";
    }
}
