package io.jitguard.engine;

import io.jitguard.arm.ArmException;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.report.Failure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One run's budget and what it has done so far: writes, planned writes, failures. */
final class Run {
    final RunOptions options;
    final boolean dryRun;
    final List<String> writes = new ArrayList<>();
    final List<String> plannedWrites = new ArrayList<>();
    /** For each planned write of a dry run, the document as read and as it would be written. */
    final List<io.jitguard.report.PlannedChange> plannedChanges = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();
    private final Clock clock;

    private final java.util.concurrent.atomic.AtomicLong workerReads = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong workerWrites = new java.util.concurrent.atomic.AtomicLong();

    Run(RunOptions options, boolean dryRun, Clock clock) {
        this.options = options;
        this.dryRun = dryRun;
        this.clock = clock;
    }

    /** A run of its own for one piece of work on a worker thread; {@link #absorb} merges it back. */
    Run child() {
        return new Run(options, dryRun, clock);
    }

    /** Takes what a child run did (writes, failures), in the caller's order. */
    void absorb(Run child) {
        writes.addAll(child.writes);
        plannedWrites.addAll(child.plannedWrites);
        plannedChanges.addAll(child.plannedChanges);
        failures.addAll(child.failures);
    }

    void addWorkerCalls(io.jitguard.arm.ArmCalls calls) {
        workerReads.addAndGet(calls.reads());
        workerWrites.addAndGet(calls.writes());
    }

    /** The calling thread's calls plus those the run's worker threads made. */
    io.jitguard.arm.ArmCalls plusWorkerCalls(io.jitguard.arm.ArmCalls onCallingThread) {
        return new io.jitguard.arm.ArmCalls(onCallingThread.reads() + workerReads.get(),
                onCallingThread.writes() + workerWrites.get());
    }

    /** What is left of the run's budget, when it has one: a lock wait must not outlast it. */
    Optional<Duration> timeLeft() {
        return options.deadlineIfAny().map(d -> Duration.between(clock.instant(), d));
    }

    /** True once the run's deadline has passed: start nothing new. */
    boolean expired() {
        return options.expired(clock.instant());
    }

    Failure fail(Failure failure) {
        failures.add(failure);
        return failure;
    }

    static Failure budgetSpent(String target, String when) {
        return new Failure(target, 0, Reconciler.TIME_BUDGET_EXHAUSTED, "time budget spent " + when
                + "; nothing further was started (retry the scope)", true);
    }

    static Failure failure(String target, ArmException e) {
        return new Failure(target, e.status(), e.code(), e.getMessage(), e.isTransient(),
                e.retryAfter().map(java.time.Duration::toSeconds).orElse(null));
    }

    static Failure failure(String target, MalformedArmDocumentException e) {
        return new Failure(target, 0, MalformedArmDocumentException.CODE, e.getMessage(), false);
    }

    /** The run's clock now: when a write succeeded, for the report's time to protect. */
    java.time.Instant now() {
        return clock.instant();
    }
}
