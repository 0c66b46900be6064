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
 * Applies one {@link PolicyWrite}: read-modify-write under the policy's lock, two calls: the read under the lock (the
 * resource group + location list, whose document of the policy starts the write) and the PUT. A PUT answers with the
 * document ARM stored, so that answer verifies the write: no second read. Only a write whose answer was lost (a
 * timeout, a reset, a 5xx: {@link ReadBack#outcomeUnknown}) is read back by GET. A write is repeated (re-merged on
 * what ARM holds) only when an addition is missing. A PUT refused with 400 naming a VM the policy lists is
 * retried once without the entries confirmed deleted ({@link RefusedWrite}). Every failure becomes a {@link Failure}
 * of the run, never an exception.
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
        return apply(write, run, () -> recheckListing(write, null), false);
    }

    /**
     * Applies the writes of one resource group, in order, each into a run of its own ({@code runs}, same order). Two
     * or more share the read under the lock: under all their locks (taken in policy-id order), one list of the group's
     * JIT policies, then each write against the policies of its location in it. One write alone is {@link #apply}.
     */
    List<PolicyOutcome> applyGroup(List<PolicyWrite> writes, List<Run> runs) {
        Run first = runs.get(0);
        if (writes.size() == 1 || first.expired()) {
            List<PolicyOutcome> each = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                each.add(apply(writes.get(i), runs.get(i)));
            }
            return each;
        }
        List<PolicyOutcome> outcomes = new ArrayList<>(java.util.Collections.nCopies(writes.size(), null));
        // one lock per policy, always taken in the same order: two runs sharing policies never wait on each other
        List<String> order = writes.stream().map(PolicyWrite::policyId)
                .collect(java.util.stream.Collectors.toMap(ArmId::key, id -> id, (a, b) -> a,
                        java.util.TreeMap::new)).values().stream().toList();
        try {
            lockedInTurn(order, first, () -> {
                List<JitPolicy> group = listed(ArmOperation.LIST_JIT_POLICIES.path(ArmId.resourceGroup(
                        writes.get(0).subscriptionId(), writes.get(0).resourceGroup()).toString()));
                for (int i = 0; i < writes.size(); i++) {
                    PolicyWrite write = writes.get(i);
                    outcomes.set(i, apply(write, runs.get(i), () -> recheckListing(write, group), true));
                }
            });
        } catch (ArmException | MalformedArmDocumentException | LockUnavailableException e) {
            // the list under the locks, or a lock, failed: no write of the group was sent
            boolean notServed = e instanceof ArmException a && groupListNotServed(a);
            for (int i = 0; i < writes.size(); i++) {
                if (outcomes.get(i) == null) {
                    outcomes.set(i, notServed ? apply(writes.get(i), runs.get(i))
                            : failedWith(writes.get(i), runs.get(i), e));
                }
            }
        }
        return outcomes;
    }

    /**
     * Whether the resource group's list was refused as a request ARM does not serve here (400, 404, 405, 501): then
     * each write reads its own resource group + location list instead. A 403, throttling or a server error would
     * refuse those too, and fails the writes.
     */
    static boolean groupListNotServed(ArmException e) {
        return e.isNotServed() || e.isNotFound();
    }

    /** {@code work} under the locks of {@code policyIds}, taken in their order. */
    private void lockedInTurn(List<String> policyIds, Run run, Runnable work) {
        if (policyIds.isEmpty()) {
            work.run();
            return;
        }
        locks.withLock(policyIds.get(0), run.timeLeft(), () -> {
            lockedInTurn(policyIds.subList(1, policyIds.size()), run, work);
            return null;
        });
    }

    /** Under the policy's lock (taken here unless {@code lockHeld}): read, merge, PUT, verify. */
    private PolicyOutcome apply(PolicyWrite write, Run run, java.util.function.Supplier<PolicyChoice.Listed> listing,
                                boolean lockHeld) {
        if (run.expired()) {
            return failed(run, Run.budgetSpent(write.policyId(), "before this policy was written"), Map.of());
        }
        try {
            return lockHeld ? readModifyWrite(write, run, listing)
                    : locks.withLock(write.policyId(), run.timeLeft(), () -> readModifyWrite(write, run, listing));
        } catch (RuntimeException e) {
            return failedWith(write, run, e);
        }
    }

    /** What an exception that stopped a write (a read, a lock, a refused PUT, an unmergeable document) makes of it. */
    private static PolicyOutcome failedWith(PolicyWrite write, Run run, RuntimeException e) {
        Failure failure;
        if (e instanceof ArmException arm) {
            failure = Run.failure(write.policyId(), arm);
        } else if (e instanceof MalformedArmDocumentException malformed) {
            failure = Run.failure(write.policyId(), malformed);
        } else if (e instanceof LockUnavailableException) {
            failure = new Failure(write.policyId(), 0, "LockUnavailable", e.getMessage(), true);
        } else if (e instanceof UnmergeableDocumentException) {
            // PolicyMerge refuses a document it cannot keep whole: write nothing rather than lose part of it.
            failure = new Failure(write.policyId(), 0, "UnmergeablePolicy", e.getMessage(), false);
        } else {
            throw e;
        }
        return failed(run, failure, Map.of());
    }

    private PolicyOutcome readModifyWrite(PolicyWrite planned, Run run,
                                          java.util.function.Supplier<PolicyChoice.Listed> listing) {
        Map<String, List<String>> changes = new LinkedHashMap<>();
        // under the lock: plan against the resource group's list (a subscription list may miss a policy)
        PolicyChoice.Listed listed = listing.get();
        PolicyWrite write = listed.choice().write();
        // round 0 merges onto the document that list just returned (read under the lock): no second read of it.
        // A policy the list lacks is still read by GET before it is created: a list may lag, a PUT would replace.
        java.util.Optional<String> listedDocument = listed.ownDocument(write.policyId()).flatMap(d -> d);
        ArmException unknown = null;
        java.time.Instant writtenAt = null;
        boolean retriedWithoutDeleted = false;
        JsonNode answer = null; // what the last PUT answered: the document ARM stored
        for (int round = 0; round <= MAX_WRITE_ROUNDS; round++) {
            if (answer == null && run.expired()) {
                return failed(run, Run.budgetSpent(write.policyId(), round == 0 ? "before this policy was read"
                        : "after writing this policy, before the write was verified"), changes);
            }
            JsonNode current = answer != null ? answer
                    : round == 0 && listedDocument.isPresent() ? Json.parse(listedDocument.get())
                    : ArmReads.getOrNull(arm, ArmOperation.GET_JIT_POLICY, write.policyId());
            answer = null;
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
            note(changes, merge);
            try {
                JsonNode stored;
                try {
                    stored = arm.put(ArmOperation.PUT_JIT_POLICY, write.policyId(), merge.document());
                } catch (ArmException refused) {
                    PolicyWrite pruned = retriedWithoutDeleted || ReadBack.outcomeUnknown(refused) ? null
                            : RefusedWrite.withoutDeletedVms(arm, write, current, refused);
                    if (pruned == null) {
                        throw refused;
                    }
                    retriedWithoutDeleted = true; // once: a second refusal stands
                    write = pruned;
                    merge = PolicyMerge.merge(current, write, baseline);
                    note(changes, merge);
                    stored = arm.put(ArmOperation.PUT_JIT_POLICY, write.policyId(), merge.document());
                }
                // an answer without the document (never seen from ARM) is verified by a read instead
                answer = stored != null && stored.path("properties").isObject() ? stored : null;
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

    private static void note(Map<String, List<String>> changes, MergeResult merge) {
        merge.changesByVmId().forEach((vm, c) -> {
            List<String> known = changes.computeIfAbsent(ArmId.key(vm), k -> new ArrayList<>());
            c.stream().filter(x -> !known.contains(x)).forEach(known::add);
        });
    }

    /**
     * Under the lock: the JIT policies of the write's resource group + location, and the planner's re-check against
     * them ({@link PolicyChoice}). Taken from {@code group} (the whole group's list, read under every lock of the
     * group's writes) when given; else one list read of the resource group + location, none when the write adds no
     * VM.
     */
    private PolicyChoice.Listed recheckListing(PolicyWrite write, List<JitPolicy> group) {
        if (group != null) {
            return PolicyChoice.recheckListed(write, group.stream()
                    .filter(p -> p.location().replace(" ", "").equalsIgnoreCase(write.location().replace(" ", "")))
                    .toList());
        }
        if (write.vmIds().isEmpty()) {
            return PolicyChoice.Listed.notListed(write);
        }
        return PolicyChoice.recheckListed(write, listed(ArmOperation.LIST_JIT_POLICIES.path(
                ArmId.resourceGroup(write.subscriptionId(), write.resourceGroup()).toString(), write.location())));
    }

    private List<JitPolicy> listed(String path) {
        return arm.list(ArmOperation.LIST_JIT_POLICIES, path).stream()
                .filter(n -> n.path("id").isTextual())
                .map(n -> JitPolicyJson.toPolicy(n.path("id").asText(), n))
                .toList();
    }

    /**
     * The end of an enforce run: every policy it wrote is read once more and written again (under its lock) where it
     * lacks what this run added: a writer that held no shared lock may have replaced it after our PUT. A subscription
     * with two or more written policies is read with one list of its JIT policies (a policy the list lacks is read by
     * GET: a subscription list may miss one); a single policy by GET. Subscriptions run on up to the run's parallelism
     * ({@code fanOut}). At most {@link ReadBack#FINAL_ROUNDS} rewrites; each is read back in the next round, and a
     * policy still lacking them after the last is the write's failure.
     */
    void readBack(List<PolicyWrite> writes, Map<String, PolicyOutcome> outcomes, Run run, FanOut fanOut) {
        List<PolicyWrite> toRead = writes.stream().filter(w -> {
            PolicyOutcome done = outcomes.get(ArmId.key(w.policyId()));
            return done != null && done.result() == PolicyResult.WRITTEN;
        }).toList();
        for (int round = 0; round <= ReadBack.FINAL_ROUNDS && !toRead.isEmpty() && !run.expired(); round++) {
            boolean mayWrite = round < ReadBack.FINAL_ROUNDS;
            List<List<PolicyWrite>> bySubscription = new ArrayList<>(toRead.stream().collect(
                    java.util.stream.Collectors.groupingBy(w -> w.subscriptionId().toLowerCase(java.util.Locale.ROOT),
                            LinkedHashMap::new, java.util.stream.Collectors.toList())).values());
            List<List<Map.Entry<PolicyOutcome, Run>>> again = fanOut.map(bySubscription, run, ofSubscription -> {
                Map<String, JsonNode> listed = ReadBack.listed(arm, ofSubscription);
                List<Map.Entry<PolicyOutcome, Run>> results = new ArrayList<>();
                for (PolicyWrite write : ofSubscription) {
                    Run own = run.child();
                    if (!ReadBack.lost(arm, write, baseline, listed)) {
                        results.add(Map.entry(new PolicyOutcome(PolicyResult.ALREADY_COVERED, Map.of(), null), own));
                        continue;
                    }
                    results.add(Map.entry(mayWrite ? apply(write, own) : failed(own, new Failure(write.policyId(), 0,
                            "VerificationFailed", "the policy lost this run's additions again after "
                            + ReadBack.FINAL_ROUNDS + " rewrites (another writer keeps replacing it)", true),
                            Map.of()), own));
                }
                return results;
            });
            List<PolicyWrite> rewritten = new ArrayList<>();
            for (int g = 0; g < bySubscription.size(); g++) {
                for (int i = 0; i < bySubscription.get(g).size(); i++) {
                    PolicyWrite write = bySubscription.get(g).get(i);
                    PolicyOutcome outcome = again.get(g).get(i).getKey();
                    run.absorb(again.get(g).get(i).getValue());
                    if (outcome.result() == PolicyResult.FAILED) {
                        outcomes.put(ArmId.key(write.policyId()), outcome);
                    } else if (outcome.result() != PolicyResult.ALREADY_COVERED) {
                        rewritten.add(write);
                    }
                }
            }
            toRead = rewritten;
        }
    }

    private static PolicyOutcome failed(Run run, Failure failure, Map<String, List<String>> changes) {
        run.fail(failure);
        return new PolicyOutcome(PolicyResult.FAILED, changes, failure.message());
    }
}
