package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param id       full resource id of the VM
 * @param reason   why (unsupported, excluded, blocked, failed, loose, exposed), empty when compliant
 * @param changes  what was changed, or would be in a dry run
 * @param policyId the JIT policy that covers it or was written for it
 * @param exposure what its NSGs let in on the baseline ports, whatever its status; omitted when nothing was found
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmReport(String id, VmStatus status, String reason, List<String> changes, String policyId,
                       Exposure exposure) {
    public VmReport {
        changes = List.copyOf(changes);
        exposure = exposure == null || exposure.isEmpty() ? null : exposure;
    }

    public VmReport(String id, VmStatus status, String reason, List<String> changes, String policyId) {
        this(id, status, reason, changes, policyId, null);
    }

    /** True when a baseline port is open or lacks Defender's deny rule (notes alone are not exposure). */
    public boolean exposed() {
        return exposure != null && !exposure.ports().isEmpty();
    }

    /** The same report with this exposure (null = none). */
    public VmReport withExposure(Exposure e) {
        return new VmReport(id, status, reason, changes, policyId, e);
    }
}
