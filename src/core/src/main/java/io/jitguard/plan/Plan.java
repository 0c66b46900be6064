package io.jitguard.plan;

import java.util.List;

/** The fewest writes that bring a scope to the baseline. An empty plan means the scope is compliant. */
public record Plan(List<PolicyWrite> policyWrites, List<AssignmentWrite> assignmentWrites) {
    public Plan {
        policyWrites = List.copyOf(policyWrites);
        assignmentWrites = List.copyOf(assignmentWrites);
    }

    public boolean isEmpty() {
        return policyWrites.isEmpty() && assignmentWrites.isEmpty();
    }
}
