package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param id       full resource id of the VM
 * @param reason   why (unsupported, excluded, blocked, failed, loose), empty when compliant
 * @param changes  what was changed, or would be in a dry run
 * @param policyId the JIT policy that covers it or was written for it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmReport(String id, VmStatus status, String reason, List<String> changes, String policyId) {
    public VmReport {
        changes = List.copyOf(changes);
    }
}
