package io.jitguard.evaluate;

import io.jitguard.model.Vm;
import java.util.List;

/**
 * What evaluation found for one VM: its findings and the state derived from them ({@link Evaluator#status}).
 *
 * @param reason   why, in words (unsupported, excluded, blocked, loose), empty when compliant
 * @param policyId the policy that covers the VM, or that a fix will write (null when none applies)
 * @param gaps     what a fix changes, e.g. "add port 5985", "tighten 3389 PT8H -> PT3H"
 * @param findings every finding of the checks that ran, in {@link Checks#ALL} order
 */
public record VmFinding(Vm vm, VmState state, String reason, String policyId, List<String> gaps,
                        List<Finding> findings) {
    public VmFinding {
        gaps = List.copyOf(gaps);
        findings = List.copyOf(findings);
    }

    /** The findings a JIT policy write fixes: all the planner reads. */
    public List<Finding> jitWrites() {
        return findings.stream().filter(f -> f.remedy() == Remedy.JIT_POLICY_WRITE).toList();
    }
}
