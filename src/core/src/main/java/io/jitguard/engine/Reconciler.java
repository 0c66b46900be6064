package io.jitguard.engine;

import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Mode;
import io.jitguard.engine.WriteOutcomes.AssignmentOutcome;
import io.jitguard.engine.WriteOutcomes.AssignmentResult;
import io.jitguard.engine.WriteOutcomes.PolicyOutcome;
import io.jitguard.evaluate.Evaluator;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.model.ArmId;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.plan.AssignmentWrite;
import io.jitguard.plan.Plan;
import io.jitguard.plan.Planner;
import io.jitguard.plan.PolicyWrite;
import io.jitguard.report.Report;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one pipeline every trigger runs: scope → read → evaluate → plan → apply → report.
 *
 * <p>The scopes of one subscription are read and evaluated first and planned together, so a batch of events that
 * touch one policy costs one write; each subscription goes on to its writes as soon as its own reads are in, without
 * waiting for the others'. Applying is {@link PolicyWriter} / {@link AssignmentWriter} (read-modify-write under a
 * per-policy lock, verified by the PUT's answer, the document ARM stored); the work runs on up to twice
 * {@code parallelism} threads ({@link FanOut}), the ARM client keeping at most {@code parallelism} requests in flight:
 * the reads, the writes (a waiting write before any read), the exposure reads, the end-of-run read-back; the report is
 * {@link ReportAssembler}. Nothing escapes: an ARM error
 * or a malformed ARM document becomes a {@link io.jitguard.report.Failure} of the scope or resource concerned, and
 * {@link io.jitguard.report.ScopeOutcomes} turns the report into one outcome per requested scope.
 */
public final class Reconciler {
    /** Failure code for work not started because {@link RunOptions#deadline()} had passed; always retryable. */
    public static final String TIME_BUDGET_EXHAUSTED = io.jitguard.report.ScopeOutcomes.TIME_BUDGET_EXHAUSTED;

    private final Inventory inventory;
    private final Arm arm;
    private final Baseline baseline;
    private final Clock clock;
    private final PolicyWriter policies;
    private final AssignmentWriter assignments;

    private final FanOut fanOut;
    private final RunPhases phases;

    public Reconciler(Inventory inventory, Arm arm, Baseline baseline, PolicyLocks locks, Clock clock) {
        this(inventory, arm, baseline, locks, clock, 1);
    }

    /**
     * @param parallelism how many scope reads, then how many writes, then how many read-backs one run keeps in
     *                    flight (1 = one at a time on the calling thread). Each policy write stays its own
     *                    read-modify-write under its lock.
     */
    public Reconciler(Inventory inventory, Arm arm, Baseline baseline, PolicyLocks locks, Clock clock,
                      int parallelism) {
        this(inventory, arm, baseline, locks, clock, parallelism, RunPhases.NONE);
    }

    /** @param phases told when each run enters a phase (measurements) */
    public Reconciler(Inventory inventory, Arm arm, Baseline baseline, PolicyLocks locks, Clock clock,
                      int parallelism, RunPhases phases) {
        this.phases = phases;
        this.inventory = inventory;
        this.arm = arm;
        this.baseline = baseline;
        this.clock = clock;
        this.policies = new PolicyWriter(arm, baseline, locks);
        this.assignments = new AssignmentWriter(arm);
        this.fanOut = new FanOut(arm, parallelism);
    }

    public Report reconcile(List<Scope> requested, RunOptions options) {
        Instant startedAt = clock.instant();
        ArmCalls callsBefore = arm.callsOnThisThread();
        Run run = new Run(options, options.dryRun() || baseline.mode() == Mode.AUDIT, clock);
        ReportAssembler report = new ReportAssembler(options.driftStarts());
        List<Scope> scopes = Scopes.collapse(requested);
        List<ReadUnits.Unit> units = ReadUnits.of(scopes);

        List<SubscriptionFindings> findings = new ArrayList<>();
        Map<String, PolicyOutcome> policyOutcomes = new LinkedHashMap<>();
        Map<String, AssignmentOutcome> assignmentOutcomes = new LinkedHashMap<>();
        phases.entered(RunPhases.Phase.READ);
        try (FanOut.Workers workers = fanOut.workers(run)) {
            List<SubscriptionWork> works = eachSubscription(units, run, workers);
            Map<Integer, Integer> findingOf = recordReads(units, works, run, report, findings);
            Plan plan = Planner.merge(works.stream().map(SubscriptionWork::plan).toList());
            absorbWrites(plan, works, run, assignmentOutcomes, policyOutcomes);
            if (!run.dryRun) {
                phases.entered(RunPhases.Phase.READ_BACK);
                policies.readBack(plan.policyWrites(), policyOutcomes, run, fanOut);
            }
            works.forEach(w -> w.exposure().forEach((unit, completed) ->
                    findings.set(findingOf.get(unit), workers.join(completed))));
            completeLoneExposure(units, findingOf, findings, run);
        }
        phases.entered(RunPhases.Phase.DONE);
        report.add(findings, policyOutcomes, assignmentOutcomes);
        return new Report(baseline.mode().label(), run.dryRun, options.trigger(), startedAt, clock.instant(),
                scopes.stream().map(Scope::id).toList(), report.subscriptionReports(), report.vmReports(),
                run.writes, run.plannedWrites, run.failures,
                run.plusWorkerCalls(arm.callsOnThisThread().minus(callsBefore)), run.plannedChanges);
    }

    /**
     * Every subscription's part of the run ({@link #subscription}), started together: each is read, planned and
     * written as soon as its own reads are in, so no subscription waits for another's reads and the run's
     * parallelism stays busy from the first read to the last write. Enters {@link RunPhases.Phase#WRITE} when the
     * first subscription is planned: its writes, queued then, go before any read.
     */
    private List<SubscriptionWork> eachSubscription(List<ReadUnits.Unit> units, Run run, FanOut.Workers workers) {
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable firstPlan = () -> {
            if (writing.compareAndSet(false, true)) {
                phases.entered(RunPhases.Phase.WRITE);
            }
        };
        List<CompletableFuture<SubscriptionWork>> started = new ArrayList<>();
        for (List<Integer> ofSubscription : bySubscription(units)) {
            started.add(subscription(ofSubscription, units, run, workers, firstPlan));
        }
        List<SubscriptionWork> works = new ArrayList<>();
        for (CompletableFuture<SubscriptionWork> work : started) {
            works.add(workers.join(work));
        }
        firstPlan.run();
        return works;
    }

    /**
     * Records what each unit's read came to, on this thread and in the order of the scopes (reports stay
     * deterministic): its failures on the run and the report, its findings appended to {@code findings}. Answers the
     * index in {@code findings} of each unit that has findings.
     */
    private static Map<Integer, Integer> recordReads(List<ReadUnits.Unit> units, List<SubscriptionWork> works, Run run,
                                                     ReportAssembler report, List<SubscriptionFindings> findings) {
        ScopeRead[] reads = new ScopeRead[units.size()];
        for (SubscriptionWork work : works) {
            for (int k = 0; k < work.units().size(); k++) {
                reads[work.units().get(k)] = work.reads().get(k);
            }
        }
        Map<Integer, Integer> findingOf = new java.util.HashMap<>();
        for (int i = 0; i < reads.length; i++) {
            int unit = i;
            reads[i].record(run, report).ifPresent(f -> {
                findingOf.put(unit, findings.size());
                findings.add(f);
            });
        }
        return findingOf;
    }

    /** Every subscription's write outcomes, each write's own run absorbed into {@code run}, in {@code plan}'s order. */
    private static void absorbWrites(Plan plan, List<SubscriptionWork> works, Run run,
                                     Map<String, AssignmentOutcome> assignmentOutcomes,
                                     Map<String, PolicyOutcome> policyOutcomes) {
        Map<String, Map.Entry<AssignmentOutcome, Run>> assigned = new java.util.HashMap<>();
        Map<String, Map.Entry<PolicyOutcome, Run>> written = new java.util.HashMap<>();
        works.forEach(w -> {
            assigned.putAll(w.assignments());
            written.putAll(w.policies());
        });
        for (AssignmentWrite write : plan.assignmentWrites()) {
            Map.Entry<AssignmentOutcome, Run> done = assigned.get(ArmId.key(write.subscriptionId()));
            run.absorb(done.getValue());
            assignmentOutcomes.put(ArmId.key(write.subscriptionId()), done.getKey());
        }
        for (PolicyWrite write : plan.policyWrites()) {
            Map.Entry<PolicyOutcome, Run> done = written.get(ArmId.key(write.policyId()));
            run.absorb(done.getValue());
            policyOutcomes.put(ArmId.key(write.policyId()), done.getKey());
        }
    }

    /** A lone VM's exposure reads, left until every write of the run is done (its time to protect comes first). */
    private void completeLoneExposure(List<ReadUnits.Unit> units, Map<Integer, Integer> findingOf,
                                      List<SubscriptionFindings> findings, Run run) {
        List<Integer> lone = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            Integer at = findingOf.get(i);
            if (units.get(i).lone() && at != null && exposureJudged(findings.get(at))) {
                lone.add(at);
            }
        }
        if (lone.isEmpty()) {
            return;
        }
        phases.entered(RunPhases.Phase.EXPOSURE);
        List<SubscriptionFindings> completed = fanOut.map(lone, run, i -> completeExposure(findings.get(i), run));
        for (int i = 0; i < lone.size(); i++) {
            findings.set(lone.get(i), completed.get(i));
        }
    }

    /** The units' indexes by subscription, in the order each subscription first appears. */
    private static List<List<Integer>> bySubscription(List<ReadUnits.Unit> units) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
            out.computeIfAbsent(ArmId.key(units.get(i).readAs().subscriptionId()), k -> new ArrayList<>()).add(i);
        }
        return List.copyOf(out.values());
    }

    /**
     * What one subscription's part of a run came to: its units' reads (same order as {@code units}), its plan, its
     * writes' outcomes (assignments by subscription key, policies by policy key), each in a run of its own, and its
     * exposure completions still under way (by unit index).
     */
    private record SubscriptionWork(List<Integer> units, List<ScopeRead> reads, Plan plan,
                                    Map<String, Map.Entry<AssignmentOutcome, Run>> assignments,
                                    Map<String, Map.Entry<PolicyOutcome, Run>> policies,
                                    Map<Integer, CompletableFuture<SubscriptionFindings>> exposure) {
    }

    /**
     * One subscription's part of the run, on the workers: its units read and evaluated, then its plan (a policy and
     * an assignment belong to one subscription, so planning it alone is planning it with the others), its writes (the
     * monitoring effect first: Defender lists VMs unsupported while JIT is disabled in the security policy; then the
     * policies, concurrently, those of one resource group sharing their read under the lock) and, queued behind them,
     * the exposure reads of its scopes but lone VMs.
     */
    private CompletableFuture<SubscriptionWork> subscription(List<Integer> indexes, List<ReadUnits.Unit> units,
                                                             Run run, FanOut.Workers workers, Runnable firstPlan) {
        return workers.readEach(indexes, i -> read(units.get(i), run)).thenCompose(reads -> {
            List<SubscriptionFindings> findings = new ArrayList<>();
            reads.forEach(r -> {
                if (r.findings() != null) {
                    findings.add(r.findings());
                }
            });
            Plan plan = Planner.plan(findings, baseline);
            firstPlan.run();
            return workers.writeEach(plan.assignmentWrites(), write -> assignment(write, findings, run))
                    .thenCompose(assigned -> {
                        var written = workers.writeEach(byResourceGroup(plan.policyWrites()),
                                group -> policies(group, findings, run));
                        // queued after the writes, and behind them: exposure is report-only
                        Map<Integer, CompletableFuture<SubscriptionFindings>> exposure = new LinkedHashMap<>();
                        for (int k = 0; k < indexes.size(); k++) {
                            SubscriptionFindings f = reads.get(k).findings();
                            if (f != null && !units.get(indexes.get(k)).lone() && exposureJudged(f)) {
                                exposure.put(indexes.get(k), workers.read(() -> completeExposure(f, run)));
                            }
                        }
                        return written.thenApply(done -> {
                            Map<String, Map.Entry<AssignmentOutcome, Run>> assignments = new LinkedHashMap<>();
                            for (int i = 0; i < assigned.size(); i++) {
                                assignments.put(ArmId.key(plan.assignmentWrites().get(i).subscriptionId()),
                                        assigned.get(i));
                            }
                            Map<String, Map.Entry<PolicyOutcome, Run>> policies = new LinkedHashMap<>();
                            done.forEach(policies::putAll);
                            return new SubscriptionWork(indexes, reads, plan, assignments, policies, exposure);
                        });
                    });
        });
    }

    private Map.Entry<AssignmentOutcome, Run> assignment(AssignmentWrite write, List<SubscriptionFindings> findings,
                                                         Run run) {
        Run own = run.child();
        if (own.dryRun) {
            own.plannedWrites.add(write.assignmentId());
            AssignmentWriter.preview(write, findings, own);
            return Map.entry(new AssignmentOutcome(AssignmentResult.PLANNED, null), own);
        }
        return Map.entry(assignments.apply(write, own), own);
    }

    /** The policy writes of one resource group, each into a run of its own, by policy key. */
    private Map<String, Map.Entry<PolicyOutcome, Run>> policies(List<PolicyWrite> group,
                                                               List<SubscriptionFindings> findings, Run run) {
        List<Run> own = group.stream().map(w -> run.child()).toList();
        List<PolicyOutcome> outcomes = new ArrayList<>();
        if (run.dryRun) {
            for (int i = 0; i < group.size(); i++) {
                own.get(i).plannedWrites.add(group.get(i).policyId());
                outcomes.add(policies.preview(group.get(i), findings, own.get(i)));
            }
        } else {
            outcomes = policies.applyGroup(group, own);
        }
        Map<String, Map.Entry<PolicyOutcome, Run>> out = new LinkedHashMap<>();
        for (int i = 0; i < group.size(); i++) {
            out.put(ArmId.key(group.get(i).policyId()), Map.entry(outcomes.get(i), own.get(i)));
        }
        return out;
    }

    private static List<List<PolicyWrite>> byResourceGroup(List<PolicyWrite> writes) {
        return List.copyOf(writes.stream().collect(java.util.stream.Collectors.groupingBy(
                w -> ArmId.key(w.subscriptionId() + "/" + w.resourceGroup()), LinkedHashMap::new,
                java.util.stream.Collectors.toList())).values());
    }

    /** Read and evaluate one unit (on a worker thread when parallel); what went wrong is recorded afterwards. */
    private ScopeRead read(ReadUnits.Unit unit, Run run) {
        if (run.expired()) {
            return new ScopeRead(unit, null, null, true);
        }
        try {
            ObservedSubscription observed = unit.vmIds() == null ? inventory.read(unit.readAs())
                    : inventory.readFor(unit.readAs(), unit.vmIds());
            // exposure is judged once its reads are in (completeExposure)
            return new ScopeRead(unit, Evaluator.evaluateForPlan(unit.keep(observed), baseline,
                    LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)), null, false)
                    .missing(unit.missing(observed));
        } catch (ArmException | MalformedArmDocumentException e) {
            return new ScopeRead(unit, null, e, false);
        }
    }

    /**
     * A scope's findings completed by the exposure check on its exposure's reads, which {@link Inventory#read} left
     * out ({@link Evaluator#withExposure}): exposure is report-only, so the plan made without it stands. Past the deadline, or when ARM fails, the first
     * evaluation stays, with a note saying what exposure could not judge.
     */
    private SubscriptionFindings completeExposure(SubscriptionFindings first, Run run) {
        ObservedSubscription observed = first.observed();
        ObservedSubscription completed;
        if (run.expired()) {
            completed = observed.withReadNote("the time budget was spent before the NSGs on its paths were read:"
                    + " exposure not judged");
        } else {
            try {
                completed = inventory.completeExposure(observed);
            } catch (ArmException | MalformedArmDocumentException e) {
                completed = observed.withReadNote("the NSGs on its paths could not be read (" + e.getMessage()
                        + "): exposure not judged");
            }
        }
        return Evaluator.withExposure(first, completed, baseline, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    /** Whether exposure is judged for a VM of these findings: not for one an earlier check stopped (excluded...). */
    private static boolean exposureJudged(SubscriptionFindings findings) {
        return findings.vms().stream().anyMatch(v -> v.findings().stream().noneMatch(f -> f.kind().stops() != null));
    }

    /** What reading one unit came to: findings, or an error / a spent budget for each of its scopes. */
    private record ScopeRead(ReadUnits.Unit unit, SubscriptionFindings findings, RuntimeException error,
                             boolean skipped, List<Scope> notFound) {
        ScopeRead(ReadUnits.Unit unit, SubscriptionFindings findings, RuntimeException error, boolean skipped) {
            this(unit, findings, error, skipped, List.of());
        }

        ScopeRead missing(List<Scope> scopes) {
            return new ScopeRead(unit, findings, error, skipped, scopes);
        }

        /** Records failures on the run and the report (on the calling thread, in order); yields the findings. */
        Optional<SubscriptionFindings> record(Run run, ReportAssembler report) {
            for (Scope scope : notFound) {
                run.fail(new io.jitguard.report.Failure(scope.id(), 404, "ResourceNotFound", scope.id()
                        + " does not exist (not in the listing of its resource group)", false));
                report.subscriptionError(scope.subscriptionId(), "could not read " + scope.id() + ": not found");
            }
            if (findings != null) {
                report.noteSubscription(findings);
                return Optional.of(findings);
            }
            for (Scope scope : unit.members()) {
                if (skipped) {
                    run.fail(Run.budgetSpent(scope.id(), "before this scope was read"));
                    report.subscriptionError(scope.subscriptionId(), "time budget spent before " + scope.id()
                            + " was read");
                } else {
                    run.fail(error instanceof ArmException e ? Run.failure(scope.id(), e)
                            : Run.failure(scope.id(), (MalformedArmDocumentException) error));
                    report.subscriptionError(scope.subscriptionId(), "could not read " + scope.id() + ": "
                            + error.getMessage());
                }
            }
            return Optional.empty();
        }
    }
}
