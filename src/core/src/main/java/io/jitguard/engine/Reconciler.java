package io.jitguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Mode;
import io.jitguard.evaluate.Evaluator;
import io.jitguard.evaluate.MonitoringFinding;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.evaluate.VmFinding;
import io.jitguard.plan.AssignmentMerge;
import io.jitguard.plan.AssignmentWrite;
import io.jitguard.plan.MergeResult;
import io.jitguard.plan.Plan;
import io.jitguard.plan.Planner;
import io.jitguard.plan.PolicyMerge;
import io.jitguard.plan.PolicyWrite;
import io.jitguard.report.Failure;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.Report;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one pipeline every trigger runs: scope → read → evaluate → plan → apply → report.
 *
 * <p>All scopes of a run are read and evaluated first and planned together, so a batch of events that touch one
 * policy costs one write. Writes are read-modify-write under a per-policy lock; the read that starts the next round
 * is the verification of the previous write, and a write is repeated (re-planned on the fresh read) only when an
 * addition is missing.
 */
public final class Reconciler {
    static final String MONITORING_EFFECT_FIXED = "AuditIfNotExists";
    /** Failure code for work not started because {@link RunOptions#deadline()} had passed; always retryable. */
    public static final String TIME_BUDGET_EXHAUSTED = "TimeBudgetExhausted";
    private static final int MAX_WRITE_ROUNDS = 3;

    private final Inventory inventory;
    private final Arm arm;
    private final Baseline baseline;
    private final PolicyLocks locks;
    private final Clock clock;
    private final int parallelism;

    public Reconciler(Inventory inventory, Arm arm, Baseline baseline, PolicyLocks locks, Clock clock) {
        this(inventory, arm, baseline, locks, clock, 1);
    }

    /**
     * @param parallelism how many scope reads, and then how many policy writes, one run keeps in flight (1 = one at a
     *                    time on the calling thread). Each policy write stays its own read-modify-write under its lock.
     */
    public Reconciler(Inventory inventory, Arm arm, Baseline baseline, PolicyLocks locks, Clock clock,
            int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, was " + parallelism);
        }
        this.inventory = inventory;
        this.arm = arm;
        this.baseline = baseline;
        this.locks = locks;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    /**
     * Runs {@code work} over {@code items} with up to {@link #parallelism} threads; results in item order. Calls made on
     * worker threads are added to {@code run.workerCalls}, so a run's count stays its own (the port counts per thread).
     */
    private <T, R> List<R> fanOut(List<T> items, Run run, java.util.function.Function<T, R> work) {
        int threads = Math.min(parallelism, items.size());
        if (threads <= 1) {
            return items.stream().map(work).toList();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jitguard-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    ArmCalls before = arm.callsOnThisThread();
                    try {
                        return work.apply(item);
                    } finally {
                        run.addWorkerCalls(arm.callsOnThisThread().minus(before));
                    }
                }));
            }
            List<R> results = new ArrayList<>();
            for (java.util.concurrent.Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the run's ARM calls", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private record ScopeRead(ReadUnit unit, SubscriptionFindings findings, ArmException error, boolean skipped) {
    }

    /**
     * From this many VMs of one resource group in a run (a scale-out burst), the group is read once in bulk instead of
     * each VM alone: a VM alone costs about 4 reads (VM, NIC, subnet, the group's policies at its location; group and
     * plan cached), the group in bulk about 6 whatever its size up to a page (group, VMs, classic VMs, NICs, its
     * subnets, policies). Only the requested VMs are kept, so the run decides exactly what it would VM by VM.
     */
    static final int BULK_MIN_VMS = 3;

    /** One inventory read: {@code readAs}, keeping only {@code vmIds}' VMs when set; {@code members} are the run's scopes. */
    private record ReadUnit(Scope readAs, List<Scope> members, java.util.Set<String> vmIds) {
        io.jitguard.model.ObservedSubscription keep(io.jitguard.model.ObservedSubscription o) {
            if (vmIds == null) {
                return o;
            }
            return new io.jitguard.model.ObservedSubscription(o.subscriptionId(), o.defenderPlan(),
                    o.monitoringInScope(), o.assignment(), o.resourceGroups(),
                    o.vms().stream().filter(vm -> vmIds.contains(key(vm.id()))).toList(), o.nics(), o.subnets(),
                    o.firewalls(), o.policies());
        }
    }

    private static List<ReadUnit> readUnits(List<Scope> scopes) {
        Map<String, List<Scope>> vmsByGroup = new LinkedHashMap<>();
        for (Scope scope : scopes) {
            if (scope instanceof io.jitguard.scope.VmScope vm) {
                vmsByGroup.computeIfAbsent(key(vm.subscriptionId() + "/" + vm.resourceGroup()), k -> new ArrayList<>())
                        .add(vm);
            }
        }
        List<ReadUnit> units = new ArrayList<>();
        java.util.Set<String> grouped = new java.util.HashSet<>();
        for (Scope scope : scopes) {
            if (scope instanceof io.jitguard.scope.VmScope vm) {
                String group = key(vm.subscriptionId() + "/" + vm.resourceGroup());
                List<Scope> members = vmsByGroup.get(group);
                if (members.size() >= BULK_MIN_VMS) {
                    if (grouped.add(group)) {
                        java.util.Set<String> ids = new java.util.HashSet<>();
                        members.forEach(m -> ids.add(key(m.id())));
                        units.add(new ReadUnit(new io.jitguard.scope.ResourceGroupScope(vm.subscriptionId(),
                                vm.resourceGroup()), List.copyOf(members), ids));
                    }
                    continue;
                }
            }
            units.add(new ReadUnit(scope, List.of(scope), null));
        }
        return units;
    }

    public Report reconcile(List<Scope> requested, RunOptions options) {
        Instant startedAt = clock.instant();
        ArmCalls callsBefore = arm.callsOnThisThread();
        boolean dryRun = options.dryRun() || baseline.mode() == Mode.AUDIT;
        List<Scope> scopes = Scopes.collapse(requested);

        Run run = new Run(options);
        List<SubscriptionFindings> allFindings = new ArrayList<>();
        List<ScopeRead> reads = fanOut(readUnits(scopes), run, unit -> {
            if (run.expired()) {
                return new ScopeRead(unit, null, null, true);
            }
            try {
                return new ScopeRead(unit, Evaluator.evaluate(unit.keep(inventory.read(unit.readAs())), baseline),
                        null, false);
            } catch (ArmException e) {
                return new ScopeRead(unit, null, e, false);
            }
        });
        for (ScopeRead read : reads) {
            if (read.findings() != null) {
                allFindings.add(read.findings());
                run.noteSubscription(read.findings());
                continue;
            }
            for (Scope scope : read.unit().members()) {
                if (read.skipped()) {
                    run.failures.add(budgetSpent(scope.id(), "before this scope was read"));
                    run.subscriptionError(scope.subscriptionId(), "time budget spent before " + scope.id() + " was read");
                } else {
                    ArmException e = read.error();
                    run.failures.add(failure(scope.id(), e));
                    run.subscriptionError(scope.subscriptionId(), "could not read " + scope.id() + ": " + e.getMessage());
                }
            }
        }
        Plan plan = Planner.plan(allFindings, baseline);
        Map<String, PolicyOutcome> policyOutcomes = new LinkedHashMap<>();
        // Policies are independent documents: written concurrently, each its own read-modify-write under its lock;
        // each write gathers into its own Run, merged back in plan order (reports stay deterministic).
        List<Map.Entry<PolicyOutcome, Run>> applied = dryRun ? List.of() : fanOut(plan.policyWrites(), run, write -> {
            Run own = new Run(options);
            return Map.entry(apply(write, own), own);
        });
        for (int i = 0; i < plan.policyWrites().size(); i++) {
            PolicyWrite write = plan.policyWrites().get(i);
            if (dryRun) {
                run.plannedWrites.add(write.policyId());
                policyOutcomes.put(key(write.policyId()), preview(write, allFindings));
            } else {
                Run own = applied.get(i).getValue();
                run.writes.addAll(own.writes);
                run.failures.addAll(own.failures);
                policyOutcomes.put(key(write.policyId()), applied.get(i).getKey());
            }
        }
        Map<String, AssignmentOutcome> assignmentOutcomes = new LinkedHashMap<>();
        for (AssignmentWrite write : plan.assignmentWrites()) {
            if (dryRun) {
                run.plannedWrites.add(write.assignmentId());
            }
            assignmentOutcomes.put(key(write.subscriptionId()),
                    dryRun ? new AssignmentOutcome(AssignmentResult.PLANNED, null) : apply(write, run));
        }

        for (SubscriptionFindings findings : allFindings) {
            for (VmFinding finding : findings.vms()) {
                run.vmReport(vmReport(finding, policyOutcomes));
            }
            run.monitoring(findings.observed().subscriptionId(),
                    monitoringReport(findings.monitoring(), assignmentOutcomes.get(key(findings.monitoring().subscriptionId()))));
        }
        return new Report(baseline.mode().label(), dryRun, options.trigger(), startedAt, clock.instant(),
                scopes.stream().map(Scope::id).toList(), run.subscriptionReports(), run.vmReports(), run.writes,
                run.plannedWrites, run.failures, run.plusWorkerCalls(arm.callsOnThisThread().minus(callsBefore)));
    }

    private PolicyOutcome preview(PolicyWrite write, List<SubscriptionFindings> findings) {
        String observedJson = findings.stream()
                .flatMap(f -> f.observed().policies().stream())
                .filter(p -> p.id().equalsIgnoreCase(write.policyId()))
                .map(p -> p.json())
                .findFirst().orElse(null);
        JsonNode current = observedJson == null ? null : Json.parse(observedJson);
        return new PolicyOutcome(PolicyResult.PLANNED, PolicyMerge.merge(current, write, baseline).changesByVmId(),
                null);
    }

    private PolicyOutcome apply(PolicyWrite write, Run run) {
        if (run.expired()) {
            return policyFailed(run, budgetSpent(write.policyId(), "before this policy was written"), Map.of());
        }
        try {
            return locks.withLock(write.policyId(), run.timeLeft(), () -> readModifyWrite(write, run));
        } catch (ArmException e) {
            return policyFailed(run, failure(write.policyId(), e), Map.of());
        } catch (LockUnavailableException e) {
            return policyFailed(run, new Failure(write.policyId(), 0, "LockUnavailable", e.getMessage(), true),
                    Map.of());
        } catch (IllegalArgumentException e) {
            // PolicyMerge refuses a document it cannot keep whole: write nothing rather than lose part of it.
            return policyFailed(run, new Failure(write.policyId(), 0, "UnmergeablePolicy", e.getMessage(), false),
                    Map.of());
        }
    }

    private static PolicyOutcome policyFailed(Run run, Failure failure, Map<String, List<String>> changes) {
        run.failures.add(failure);
        return new PolicyOutcome(PolicyResult.FAILED, changes, failure.message());
    }

    private static AssignmentOutcome assignmentFailed(Run run, Failure failure) {
        run.failures.add(failure);
        return new AssignmentOutcome(AssignmentResult.FAILED, failure.message());
    }

    private PolicyOutcome readModifyWrite(PolicyWrite write, Run run) {
        Map<String, List<String>> changes = new LinkedHashMap<>();
        for (int round = 0; round <= MAX_WRITE_ROUNDS; round++) {
            if (run.expired()) {
                return policyFailed(run, budgetSpent(write.policyId(), round == 0 ? "before this policy was read"
                        : "after writing this policy, before the write was verified"), changes);
            }
            JsonNode current = getOrNull(ArmOperation.GET_JIT_POLICY, write.policyId());
            MergeResult merge = PolicyMerge.merge(current, write, baseline);
            if (!merge.changed()) {
                return new PolicyOutcome(round == 0 ? PolicyResult.ALREADY_COVERED : PolicyResult.WRITTEN, changes,
                        null);
            }
            if (round == MAX_WRITE_ROUNDS) {
                break;
            }
            merge.changesByVmId().forEach((vm, c) -> changes.computeIfAbsent(key(vm), k -> new ArrayList<>()).addAll(c));
            arm.put(ArmOperation.PUT_JIT_POLICY, write.policyId(), merge.document());
            run.writes.add(write.policyId());
        }
        return policyFailed(run, new Failure(write.policyId(), 0, "VerificationFailed",
                "the policy still lacks baseline rules after " + MAX_WRITE_ROUNDS
                        + " writes (another writer keeps replacing it)", true), changes);
    }

    private AssignmentOutcome apply(AssignmentWrite write, Run run) {
        try {
            for (int round = 0; round <= MAX_WRITE_ROUNDS; round++) {
                if (run.expired()) {
                    return assignmentFailed(run, budgetSpent(write.assignmentId(), round == 0
                            ? "before the monitoring effect was fixed" : "before the fix was verified"));
                }
                JsonNode current = getOrNull(ArmOperation.GET_POLICY_ASSIGNMENT, write.assignmentId());
                if (current == null) {
                    return new AssignmentOutcome(AssignmentResult.FAILED,
                            "the SecurityCenterBuiltIn assignment disappeared before it could be fixed");
                }
                Optional<ObjectNode> fixed = AssignmentMerge.merge(current);
                if (fixed.isEmpty()) {
                    return new AssignmentOutcome(round == 0 ? AssignmentResult.ALREADY_COMPLIANT
                            : AssignmentResult.WRITTEN, null);
                }
                if (round == MAX_WRITE_ROUNDS) {
                    break;
                }
                arm.put(ArmOperation.PUT_POLICY_ASSIGNMENT, write.assignmentId(), fixed.get());
                run.writes.add(write.assignmentId());
            }
            return new AssignmentOutcome(AssignmentResult.FAILED, "the monitoring effect did not stay fixed");
        } catch (ArmException e) {
            return assignmentFailed(run, failure(write.assignmentId(), e));
        }
    }

    private JsonNode getOrNull(ArmOperation operation, String path) {
        try {
            return arm.get(operation, path);
        } catch (ArmException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    private static VmReport vmReport(VmFinding finding, Map<String, PolicyOutcome> outcomes) {
        String id = finding.vm().id();
        return switch (finding.state()) {
            case COMPLIANT -> new VmReport(id, VmStatus.COMPLIANT, "", List.of(), finding.policyId());
            case EXCLUDED -> new VmReport(id, VmStatus.EXCLUDED, finding.reason(), List.of(), null);
            case UNSUPPORTED -> new VmReport(id, VmStatus.UNSUPPORTED, finding.reason(), List.of(), null);
            case BLOCKED -> new VmReport(id, VmStatus.BLOCKED, finding.reason(), List.of(), null);
            case MISSING, LOOSE -> {
                PolicyOutcome outcome = outcomes.get(key(finding.policyId()));
                if (outcome == null) {
                    yield new VmReport(id, VmStatus.FAILED, "no write was planned for this finding", finding.gaps(),
                            finding.policyId());
                }
                List<String> changes = outcome.changesByVm().getOrDefault(key(id), List.of());
                yield switch (outcome.result()) {
                    case PLANNED -> new VmReport(id, VmStatus.WOULD_FIX, finding.reason(),
                            changes.isEmpty() ? finding.gaps() : changes, finding.policyId());
                    case WRITTEN -> changes.isEmpty()
                            ? new VmReport(id, VmStatus.COMPLIANT, "covered by a concurrent write", List.of(),
                            finding.policyId())
                            : new VmReport(id, VmStatus.FIXED, finding.reason(), changes, finding.policyId());
                    case ALREADY_COVERED -> new VmReport(id, VmStatus.COMPLIANT, "covered by a concurrent write",
                            List.of(), finding.policyId());
                    case FAILED -> new VmReport(id, VmStatus.FAILED, outcome.failure(), finding.gaps(),
                            finding.policyId());
                };
            }
        };
    }

    private static MonitoringEffectReport monitoringReport(MonitoringFinding finding, AssignmentOutcome outcome) {
        String before = finding.effectBefore();
        return switch (finding.state()) {
            case COMPLIANT -> new MonitoringEffectReport(before, before, MonitoringStatus.COMPLIANT, null);
            case MISSING -> new MonitoringEffectReport(null, null, MonitoringStatus.MISSING,
                    "the subscription has no SecurityCenterBuiltIn assignment; jitguard does not create it");
            case NOT_IN_SCOPE -> new MonitoringEffectReport(before, before, MonitoringStatus.NOT_IN_SCOPE, null);
            case DISABLED -> {
                if (outcome == null) {
                    yield new MonitoringEffectReport(before, before, MonitoringStatus.FAILED, "no write was planned");
                }
                yield switch (outcome.result()) {
                    case PLANNED -> new MonitoringEffectReport(before, MONITORING_EFFECT_FIXED,
                            MonitoringStatus.WOULD_FIX, null);
                    case WRITTEN -> new MonitoringEffectReport(before, MONITORING_EFFECT_FIXED,
                            MonitoringStatus.FIXED, null);
                    case ALREADY_COMPLIANT -> new MonitoringEffectReport(before, MONITORING_EFFECT_FIXED,
                            MonitoringStatus.COMPLIANT, "fixed by a concurrent write");
                    case FAILED -> new MonitoringEffectReport(before, before, MonitoringStatus.FAILED,
                            outcome.failure());
                };
            }
        };
    }

    private static Failure budgetSpent(String target, String when) {
        return new Failure(target, 0, TIME_BUDGET_EXHAUSTED, "time budget spent " + when
                + "; nothing further was started (retry the scope)", true);
    }

    private static Failure failure(String target, ArmException e) {
        return new Failure(target, e.status(), e.code(), e.getMessage(), e.isTransient());
    }

    private static String key(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
    }

    private enum PolicyResult { PLANNED, WRITTEN, ALREADY_COVERED, FAILED }

    private record PolicyOutcome(PolicyResult result, Map<String, List<String>> changesByVm, String failure) {
        PolicyOutcome {
            Map<String, List<String>> byKey = new LinkedHashMap<>();
            changesByVm.forEach((vm, c) -> byKey.computeIfAbsent(key(vm), k -> new ArrayList<>()).addAll(c));
            changesByVm = byKey;
        }
    }

    private enum AssignmentResult { PLANNED, WRITTEN, ALREADY_COMPLIANT, FAILED }

    private record AssignmentOutcome(AssignmentResult result, String failure) {
    }

    /** What one run has gathered so far. */
    private final class Run {
        final RunOptions options;
        final List<String> writes = new ArrayList<>();
        final List<String> plannedWrites = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();
        private final Map<String, VmReport> vms = new LinkedHashMap<>();
        private final Map<String, String> plans = new LinkedHashMap<>();
        private final Map<String, String> subscriptionIds = new LinkedHashMap<>();
        private final Map<String, MonitoringEffectReport> monitoring = new LinkedHashMap<>();
        private final Map<String, String> errors = new LinkedHashMap<>();

        private final java.util.concurrent.atomic.AtomicLong workerReads = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong workerWrites = new java.util.concurrent.atomic.AtomicLong();

        Run(RunOptions options) {
            this.options = options;
        }

        void addWorkerCalls(ArmCalls calls) {
            workerReads.addAndGet(calls.reads());
            workerWrites.addAndGet(calls.writes());
        }

        /** The calling thread's calls plus those the run's worker threads made. */
        ArmCalls plusWorkerCalls(ArmCalls onCallingThread) {
            return new ArmCalls(onCallingThread.reads() + workerReads.get(), onCallingThread.writes() + workerWrites.get());
        }

        /** What is left of the run's budget, when it has one: a lock wait must not outlast it. */
        Optional<Duration> timeLeft() {
            return options.deadlineIfAny().map(d -> Duration.between(clock.instant(), d));
        }

        /** True once the run's deadline has passed: start nothing new. */
        boolean expired() {
            return options.expired(clock.instant());
        }

        void noteSubscription(SubscriptionFindings findings) {
            String id = findings.observed().subscriptionId();
            subscriptionIds.putIfAbsent(key(id), id);
            plans.put(key(id), findings.observed().defenderPlan().label());
        }

        void subscriptionError(String subscriptionId, String message) {
            subscriptionIds.putIfAbsent(key(subscriptionId), subscriptionId);
            errors.merge(key(subscriptionId), message, (a, b) -> a + "; " + b);
        }

        void vmReport(VmReport report) {
            vms.putIfAbsent(key(report.id()), report);
        }

        /** A subscription read by several scopes keeps the monitoring result of the scope that covered it. */
        void monitoring(String subscriptionId, MonitoringEffectReport report) {
            MonitoringEffectReport known = monitoring.get(key(subscriptionId));
            if (known == null || known.status() == MonitoringStatus.NOT_IN_SCOPE) {
                monitoring.put(key(subscriptionId), report);
            }
        }

        List<VmReport> vmReports() {
            return List.copyOf(vms.values());
        }

        List<SubscriptionReport> subscriptionReports() {
            List<SubscriptionReport> reports = new ArrayList<>();
            subscriptionIds.forEach((k, id) -> reports.add(
                    new SubscriptionReport(id, monitoring.get(k), plans.get(k), errors.get(k))));
            return reports;
        }
    }
}
