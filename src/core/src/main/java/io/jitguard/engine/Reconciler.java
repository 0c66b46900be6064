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

/**
 * The one pipeline every trigger runs: scope → read → evaluate → plan → apply → report.
 *
 * <p>All scopes of a run are read and evaluated first and planned together, so a batch of events that touch one
 * policy costs one write. Applying is {@link PolicyWriter} / {@link AssignmentWriter} (read-modify-write under a
 * per-policy lock, verified by the PUT's answer, the document ARM stored); every phase with work runs on up to
 * {@code parallelism} threads ({@link FanOut}): the reads, the writes, the end-of-run read-back; the report is {@link ReportAssembler}. Nothing escapes: an ARM error
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

        List<SubscriptionFindings> findings = new ArrayList<>();
        // exposure is report-only: its reads never delay a write. A lone VM's wait until its write is done (its time
        // to protect comes first); a wider scope's are sent alongside the writes (the run's length comes first).
        List<Integer> exposureAfter = new ArrayList<>();
        List<Integer> exposureAlongside = new ArrayList<>();
        phases.entered(RunPhases.Phase.READ);
        for (ScopeRead read : fanOut.map(ReadUnits.of(scopes), run, unit -> read(unit, run))) {
            read.record(run, report).ifPresent(f -> {
                if (exposureJudged(f)) {
                    (read.unit().lone() ? exposureAfter : exposureAlongside).add(findings.size());
                }
                findings.add(f);
            });
        }
        Plan plan = Planner.plan(findings, baseline);
        phases.entered(RunPhases.Phase.WRITE);
        java.util.function.Supplier<List<SubscriptionFindings>> alongside = fanOut.mapAlongside(exposureAlongside,
                run, i -> completeExposure(findings.get(i), run));
        // The monitoring effect first: Defender lists VMs unsupported while JIT is disabled in the security policy.
        // Assignments are independent documents too: written concurrently, merged back in plan order.
        List<Map.Entry<AssignmentOutcome, Run>> fixed = fanOut.map(plan.assignmentWrites(), run, write -> {
            Run own = run.child();
            if (own.dryRun) {
                own.plannedWrites.add(write.assignmentId());
                AssignmentWriter.preview(write, findings, own);
            }
            return Map.entry(own.dryRun ? new AssignmentOutcome(AssignmentResult.PLANNED, null)
                    : assignments.apply(write, own), own);
        });
        Map<String, AssignmentOutcome> assignmentOutcomes = new LinkedHashMap<>();
        for (int i = 0; i < fixed.size(); i++) {
            run.absorb(fixed.get(i).getValue());
            assignmentOutcomes.put(ArmId.key(plan.assignmentWrites().get(i).subscriptionId()), fixed.get(i).getKey());
        }
        // Policies are independent documents: written concurrently, each its own read-modify-write under its lock,
        // each into a run of its own, merged back in plan order (reports stay deterministic). The writes of one
        // resource group share their read under the lock (PolicyWriter#applyGroup).
        List<List<PolicyWrite>> byGroup = new ArrayList<>(plan.policyWrites().stream().collect(
                java.util.stream.Collectors.groupingBy(w -> ArmId.key(w.subscriptionId() + "/" + w.resourceGroup()),
                        LinkedHashMap::new, java.util.stream.Collectors.toList())).values());
        List<List<Map.Entry<PolicyOutcome, Run>>> applied = fanOut.map(byGroup, run, group -> {
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
            List<Map.Entry<PolicyOutcome, Run>> entries = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                entries.add(Map.entry(outcomes.get(i), own.get(i)));
            }
            return entries;
        });
        Map<String, Map.Entry<PolicyOutcome, Run>> byPolicy = new java.util.HashMap<>();
        for (int g = 0; g < byGroup.size(); g++) {
            for (int i = 0; i < byGroup.get(g).size(); i++) {
                byPolicy.put(ArmId.key(byGroup.get(g).get(i).policyId()), applied.get(g).get(i));
            }
        }
        Map<String, PolicyOutcome> policyOutcomes = new LinkedHashMap<>();
        for (PolicyWrite write : plan.policyWrites()) {
            Map.Entry<PolicyOutcome, Run> done = byPolicy.get(ArmId.key(write.policyId()));
            run.absorb(done.getValue());
            policyOutcomes.put(ArmId.key(write.policyId()), done.getKey());
        }
        if (!run.dryRun) {
            phases.entered(RunPhases.Phase.READ_BACK);
            policies.readBack(plan.policyWrites(), policyOutcomes, run, fanOut);
        }
        List<SubscriptionFindings> completedAlongside = alongside.get();
        for (int i = 0; i < exposureAlongside.size(); i++) {
            findings.set(exposureAlongside.get(i), completedAlongside.get(i));
        }
        if (!exposureAfter.isEmpty()) {
            phases.entered(RunPhases.Phase.EXPOSURE);
            List<SubscriptionFindings> completed = fanOut.map(exposureAfter, run,
                    i -> completeExposure(findings.get(i), run));
            for (int i = 0; i < exposureAfter.size(); i++) {
                findings.set(exposureAfter.get(i), completed.get(i));
            }
        }
        phases.entered(RunPhases.Phase.DONE);
        report.add(findings, policyOutcomes, assignmentOutcomes);
        return new Report(baseline.mode().label(), run.dryRun, options.trigger(), startedAt, clock.instant(),
                scopes.stream().map(Scope::id).toList(), report.subscriptionReports(), report.vmReports(),
                run.writes, run.plannedWrites, run.failures,
                run.plusWorkerCalls(arm.callsOnThisThread().minus(callsBefore)), run.plannedChanges);
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
     * A scope evaluated again with its exposure's reads, which {@link Inventory#read} left out: exposure is
     * report-only, so the plan made without it stands. Past the deadline, or when ARM fails, the first
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
        return Evaluator.evaluate(completed, baseline, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
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
