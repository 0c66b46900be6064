package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.List;

/**
 * A VM in a resource group managed by another service ({@code managedBy}: a Databricks workspace, say): the service
 * holds a deny assignment on the group that refuses jitguard's writes, and only the service may change what is in it.
 * Excluded (not unsupported: JIT itself could protect the VM; the owner of the group decides), never written.
 */
public final class ManagedGroupCheck implements VmCheck {
    @Override
    public List<Finding> check(VmContext ctx, Baseline baseline) {
        String managedBy = ctx.resourceGroupManagedBy();
        return managedBy == null || managedBy.isBlank() ? List.of()
                : List.of(Finding.report(FindingKind.EXCLUDED, reason(managedBy)));
    }

    public static String reason(String managedBy) {
        return "resource group managed by " + managedBy + ": its deny assignment refuses writes";
    }
}
