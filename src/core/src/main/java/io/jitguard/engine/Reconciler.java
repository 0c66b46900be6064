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
import io.jitguard.model.Ids;
import io.jitguard.plan.AssignmentWrite;
import io.jitguard.plan.Plan;
import io.jitguard.plan.Planner;
import io.jitguard.plan.PolicyWrite;
import io.jitguard.report.Report;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.time.Clock;
import java.time.Instant;
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
 * per-policy lock, verified by the next read); the report is {@link ReportAssembler}. Nothing escapes: an ARM error
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

    public Reconciler(Inventory inventory, Arm arm, Baseline baseline, PolicyLocks locks, Clock clock) {
        this.inventory = inventory;
        this.arm = arm;
        this.baseline = baseline;
        this.clock = clock;
        this.policies = new PolicyWriter(arm, baseline, locks);
        this.assignments = new AssignmentWriter(arm);
    }

    public Report reconcile(List<Scope> requested, RunOptions options) {
        Instant startedAt = clock.instant();
        ArmCalls callsBefore = arm.callsOnThisThread();
        Run run = new Run(options, options.dryRun() || baseline.mode() == Mode.AUDIT, clock);
        ReportAssembler report = new ReportAssembler();
        List<Scope> scopes = Scopes.collapse(requested);

        List<SubscriptionFindings> findings = new ArrayList<>();
        for (Scope scope : scopes) {
            read(scope, run, report).ifPresent(findings::add);
        }
        Plan plan = Planner.plan(findings, baseline);
        // The monitoring effect first: Defender lists VMs unsupported while JIT is disabled in the security policy.
        Map<String, AssignmentOutcome> assignmentOutcomes = new LinkedHashMap<>();
        for (AssignmentWrite write : plan.assignmentWrites()) {
            if (run.dryRun) {
                run.plannedWrites.add(write.assignmentId());
                AssignmentWriter.preview(write, findings, run);
            }
            assignmentOutcomes.put(Ids.key(write.subscriptionId()), run.dryRun
                    ? new AssignmentOutcome(AssignmentResult.PLANNED, null) : assignments.apply(write, run));
        }
        Map<String, PolicyOutcome> policyOutcomes = new LinkedHashMap<>();
        for (PolicyWrite write : plan.policyWrites()) {
            if (run.dryRun) {
                run.plannedWrites.add(write.policyId());
            }
            policyOutcomes.put(Ids.key(write.policyId()),
                    run.dryRun ? policies.preview(write, findings, run) : policies.apply(write, run));
        }
        if (!run.dryRun) {
            policies.readBack(plan.policyWrites(), policyOutcomes, run);
        }
        report.add(findings, policyOutcomes, assignmentOutcomes);
        return new Report(baseline.mode().label(), run.dryRun, options.trigger(), startedAt, clock.instant(),
                scopes.stream().map(Scope::id).toList(), report.subscriptionReports(), report.vmReports(),
                run.writes, run.plannedWrites, run.failures, arm.callsOnThisThread().minus(callsBefore),
                run.plannedChanges);
    }

    /** Read and evaluate one scope; a failure is recorded on the run and the report, and yields nothing. */
    private Optional<SubscriptionFindings> read(Scope scope, Run run, ReportAssembler report) {
        if (run.expired()) {
            run.fail(Run.budgetSpent(scope.id(), "before this scope was read"));
            report.subscriptionError(scope.subscriptionId(), "time budget spent before " + scope.id() + " was read");
            return Optional.empty();
        }
        try {
            SubscriptionFindings findings = Evaluator.evaluate(inventory.read(scope), baseline);
            report.noteSubscription(findings);
            return Optional.of(findings);
        } catch (ArmException e) {
            run.fail(Run.failure(scope.id(), e));
            report.subscriptionError(scope.subscriptionId(), "could not read " + scope.id() + ": " + e.getMessage());
        } catch (MalformedArmDocumentException e) {
            run.fail(Run.failure(scope.id(), e));
            report.subscriptionError(scope.subscriptionId(), "could not read " + scope.id() + ": " + e.getMessage());
        }
        return Optional.empty();
    }
}
