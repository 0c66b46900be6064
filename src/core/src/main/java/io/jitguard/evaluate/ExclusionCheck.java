package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.List;
import java.util.Map;

/** Tagged {@code <exclusionTag>=true} on the VM or on its resource group: never written. */
public final class ExclusionCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        String tag = "tagged " + baseline.exclusionTag() + "=true on ";
        if (tagged(ctx.vm().tags(), baseline.exclusionTag())) {
            return List.of(Finding.report(FindingKind.EXCLUDED, tag + "the VM"));
        }
        if (tagged(ctx.resourceGroupTags(), baseline.exclusionTag())) {
            return List.of(Finding.report(FindingKind.EXCLUDED, tag + "resource group " + ctx.resourceGroupName()));
        }
        return List.of();
    }

    private static boolean tagged(Map<String, String> tags, String tag) {
        return tags.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase(tag)
                && e.getValue() != null && e.getValue().trim().equalsIgnoreCase("true"));
    }
}
