package io.jitguard.evaluate;

import io.jitguard.model.Vm;
import java.util.List;

/**
 * @param reason   why, in words (unsupported, excluded, blocked, loose), empty when compliant
 * @param policyId the policy that covers the VM, or that a fix will write (null when none applies)
 * @param gaps     what a fix changes, e.g. "add port 5985", "tighten 3389 PT8H -> PT3H"
 */
public record VmFinding(Vm vm, VmState state, String reason, String policyId, List<String> gaps) {
    public VmFinding {
        gaps = List.copyOf(gaps);
    }
}
