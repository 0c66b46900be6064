package io.jitguard.engine;

import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.plan.UnmergeableDocumentException;
import io.jitguard.report.PlannedChange;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.engine.WriteOutcomes.AssignmentOutcome;
import io.jitguard.engine.WriteOutcomes.AssignmentResult;
import io.jitguard.plan.AssignmentMerge;
import io.jitguard.plan.AssignmentWrite;
import io.jitguard.plan.UnmergeableDocumentException;
import io.jitguard.report.Failure;
import java.util.Optional;

/**
 * Applies one {@link AssignmentWrite}: read-modify-write of the monitoring effect (GET, PUT), verified by the PUT's
 * answer (the assignment ARM stored); an answer without the document is verified by a read.
 */
final class AssignmentWriter {
    private final Arm arm;

    AssignmentWriter(Arm arm) {
        this.arm = arm;
    }

    /** Dry run: the assignment as read and as it would be written, for the report's planned changes. */
    static void preview(AssignmentWrite write, List<SubscriptionFindings> findings, Run run) {
        try {
            findings.stream().flatMap(f -> f.observed().assignment().stream())
                    .filter(a -> a.id().equalsIgnoreCase(write.assignmentId())).findFirst()
                    .map(a -> Json.parse(a.json()))
                    .ifPresent(current -> run.plannedChanges.add(new PlannedChange(write.assignmentId(), current,
                            AssignmentMerge.merge(current).orElse(null))));
        } catch (UnmergeableDocumentException | MalformedArmDocumentException e) {
            // an assignment the merge cannot keep whole: the dry run still lists the write, without documents
        }
    }

    AssignmentOutcome apply(AssignmentWrite write, Run run) {
        try {
            JsonNode answer = null; // what the last PUT answered: the assignment ARM stored
            for (int round = 0; round <= PolicyWriter.MAX_WRITE_ROUNDS; round++) {
                if (answer == null && run.expired()) {
                    return failed(run, Run.budgetSpent(write.assignmentId(), round == 0
                            ? "before the monitoring effect was fixed" : "before the fix was verified"));
                }
                JsonNode current = answer != null ? answer
                        : ArmReads.getOrNull(arm, ArmOperation.GET_POLICY_ASSIGNMENT, write.assignmentId());
                answer = null;
                if (current == null) {
                    return new AssignmentOutcome(AssignmentResult.FAILED,
                            "the SecurityCenterBuiltIn assignment disappeared before it could be fixed");
                }
                Optional<ObjectNode> fixed = AssignmentMerge.merge(current);
                if (fixed.isEmpty()) {
                    return new AssignmentOutcome(round == 0 ? AssignmentResult.ALREADY_COMPLIANT
                            : AssignmentResult.WRITTEN, null);
                }
                if (round == PolicyWriter.MAX_WRITE_ROUNDS) {
                    break;
                }
                JsonNode stored = arm.put(ArmOperation.PUT_POLICY_ASSIGNMENT, write.assignmentId(), fixed.get());
                answer = stored != null && stored.path("properties").isObject() ? stored : null;
                run.writes.add(write.assignmentId());
            }
            return new AssignmentOutcome(AssignmentResult.FAILED, "the monitoring effect did not stay fixed");
        } catch (ArmException e) {
            return failed(run, Run.failure(write.assignmentId(), e));
        } catch (MalformedArmDocumentException e) {
            return failed(run, Run.failure(write.assignmentId(), e));
        } catch (UnmergeableDocumentException e) {
            return failed(run, new Failure(write.assignmentId(), 0, "UnmergeableAssignment", e.getMessage(), false));
        }
    }

    private static AssignmentOutcome failed(Run run, Failure failure) {
        run.fail(failure);
        return new AssignmentOutcome(AssignmentResult.FAILED, failure.message());
    }
}
