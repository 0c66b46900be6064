package io.jitguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.baseline.Baseline;
import io.jitguard.engine.WriteOutcomes.PolicyOutcome;
import io.jitguard.engine.WriteOutcomes.PolicyResult;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.model.ArmId;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitPolicyJson;
import io.jitguard.plan.MergeResult;
import io.jitguard.plan.PolicyMerge;
import io.jitguard.plan.PolicyChoice;
import io.jitguard.plan.PolicyWrite;
import io.jitguard.report.PlannedChange;
import io.jitguard.plan.UnmergeableDocumentException;
import io.jitguard.report.Failure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one {@link PolicyWrite}: read-modify-write under the policy's lock. The read that starts the next round
 * is the verification of the previous write; a write is repeated (re-merged on the fresh read) only when an addition
 * is missing. Every failure becomes a {@link Failure} of the run, never an exception.
 */
final class PolicyWriter {
    static final int MAX_WRITE_ROUNDS = 3;

    private final Arm arm;
    private final Baseline baseline;
    private final PolicyLocks locks;

    PolicyWriter(Arm arm, Baseline baseline, PolicyLocks locks) {
        this.arm = arm;
        this.baseline = baseline;
        this.locks = locks;
    }

    /** Dry run: the changes a write would make to the policy as observed. */
    PolicyOutcome preview(PolicyWrite write, List<SubscriptionFindings> findings, Run run) {
        try {
            return merged(write, findings, run);
        } catch (MalformedArmDocumentException e) {
            return failed(run, Run.failure(write.policyId(), e), Map.of());
        } catch (UnmergeableDocumentException e) {
            return failed(run, new Failure(write.policyId(), 0, "UnmergeablePolicy", e.getMessage(), false),
                    Map.of());
        }
    }

    private PolicyOutcome merged(PolicyWrite write, List<SubscriptionFindings> findings, Run run) {
        String observedJson = findings.stream()
                .flatMap(f -> f.observed().policies().stream())
                .filter(p -> p.id().equalsIgnoreCase(write.policyId()))
                .map(p -> p.json())
                .findFirst().orElse(null);
        JsonNode current = observedJson == null ? null : Json.parse(observedJson);
        MergeResult merge = PolicyMerge.merge(current, write, baseline);
        run.plannedChanges.add(new PlannedChange(write.policyId(), current, merge.document()));
        return new PolicyOutcome(PolicyResult.PLANNED, merge.changesByVmId(), null);
    }

    PolicyOutcome apply(PolicyWrite write, Run run) {
        if (run.expired()) {
            return failed(run, Run.budgetSpent(write.policyId(), "before this policy was written"), Map.of());
        }
        try {
            return locks.withLock(write.policyId(), run.timeLeft(), () -> readModifyWrite(write, run));
        } catch (ArmException e) {
            return failed(run, Run.failure(write.policyId(), e), Map.of());
        } catch (MalformedArmDocumentException e) {
            return failed(run, Run.failure(write.policyId(), e), Map.of());
        } catch (LockUnavailableException e) {
            return failed(run, new Failure(write.policyId(), 0, "LockUnavailable", e.getMessage(), true), Map.of());
        } catch (UnmergeableDocumentException e) {
            // PolicyMerge refuses a document it cannot keep whole: write nothing rather than lose part of it.
            return failed(run, new Failure(write.policyId(), 0, "UnmergeablePolicy", e.getMessage(), false),
                    Map.of());
        }
    }

    private PolicyOutcome readModifyWrite(PolicyWrite planned, Run run) {
        Map<String, List<String>> changes = new LinkedHashMap<>();
        // under the lock: plan against the resource group + location list (a subscription list may miss a policy)
        PolicyChoice.Listed listed = recheckListing(planned);
        PolicyWrite write = listed.choice().write();
        // round 0 merges onto the document that list just returned (read under the lock): no second read of it.
        // A policy the list lacks is still read by GET before it is created: a list may lag, a PUT would replace.
        java.util.Optional<String> listedDocument = listed.ownDocument(write.policyId()).flatMap(d -> d);
        ArmException unknown = null;
        java.time.Instant writtenAt = null;
        for (int round = 0; round <= MAX_WRITE_ROUNDS; round++) {
            if (run.expired()) {
                return failed(run, Run.budgetSpent(write.policyId(), round == 0 ? "before this policy was read"
                        : "after writing this policy, before the write was verified"), changes);
            }
            JsonNode current = round == 0 && listedDocument.isPresent() ? Json.parse(listedDocument.get())
                    : ArmReads.getOrNull(arm, ArmOperation.GET_JIT_POLICY, write.policyId());
            MergeResult merge = PolicyMerge.merge(current, write, baseline);
            if (!merge.changed()) {
                if (unknown != null) {
                    run.writes.add(write.policyId()); // ARM applied it; only its answer was lost
                    writtenAt = run.now(); // known applied only now
                }
                return round == 0 ? new PolicyOutcome(PolicyResult.ALREADY_COVERED, changes, null)
                        : new PolicyOutcome(PolicyResult.WRITTEN, changes, null, writtenAt);
            }
            if (round == MAX_WRITE_ROUNDS || unknown != null) {
                break; // an unknown outcome is read back (above) once; still not there → the write's failure
            }
            merge.changesByVmId().forEach((vm, c) -> changes.computeIfAbsent(ArmId.key(vm), k -> new ArrayList<>())
                    .addAll(c));
            try {
                arm.put(ArmOperation.PUT_JIT_POLICY, write.policyId(), merge.document());
            } catch (ArmException e) {
                if (!ReadBack.outcomeUnknown(e)) {
                    throw e;
                }
                unknown = e; // the next round's read shows what ARM holds
                continue;
            }
            writtenAt = run.now();
            run.writes.add(write.policyId());
        }
        if (unknown != null) {
            return failed(run, Run.failure(write.policyId(), unknown), changes);
        }
        return failed(run, new Failure(write.policyId(), 0, "VerificationFailed",
                "the policy still lacks baseline rules after " + MAX_WRITE_ROUNDS
                        + " writes (another writer keeps replacing it)", true), changes);
    }

    /**
     * Under the lock: the JIT policies of the write's resource group + location (one list read; none when the write
     * adds no VM), and the planner's re-check against them ({@link PolicyChoice}).
     */
    private PolicyChoice.Listed recheckListing(PolicyWrite write) {
        if (write.vmIds().isEmpty()) {
            return PolicyChoice.Listed.notListed(write);
        }
        List<JitPolicy> here = arm.list(ArmOperation.LIST_JIT_POLICIES, ArmOperation.LIST_JIT_POLICIES.path(
                ArmId.resourceGroup(write.subscriptionId(), write.resourceGroup()).toString(), write.location())).stream()
                .filter(n -> n.path("id").isTextual())
                .map(n -> JitPolicyJson.toPolicy(n.path("id").asText(), n))
                .toList();
        return PolicyChoice.recheckListed(write, here);
    }

    /**
     * The end of an enforce run: every policy it wrote is read once more ({@link ReadBack#FINAL_ROUNDS} rounds at
     * most); a writer that held no shared lock may have replaced it with a document that lacks what this run added.
     */
    void readBack(List<PolicyWrite> writes, Map<String, PolicyOutcome> outcomes, Run run) {
        for (int round = 0; round < ReadBack.FINAL_ROUNDS && !run.expired(); round++) {
            boolean rewrote = false;
            for (PolicyWrite write : writes) {
                PolicyOutcome done = outcomes.get(ArmId.key(write.policyId()));
                if (done != null && done.result() == PolicyResult.WRITTEN && ReadBack.lost(arm, write, baseline)) {
                    PolicyOutcome again = apply(write, run);
                    rewrote |= again.result() != PolicyResult.ALREADY_COVERED;
                    outcomes.put(ArmId.key(write.policyId()), again.result() == PolicyResult.FAILED ? again : done);
                }
            }
            if (!rewrote) {
                break;
            }
        }
    }

    private static PolicyOutcome failed(Run run, Failure failure, Map<String, List<String>> changes) {
        run.fail(failure);
        return new PolicyOutcome(PolicyResult.FAILED, changes, failure.message());
    }
}
