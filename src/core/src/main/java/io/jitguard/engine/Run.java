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

    Run(RunOptions options, boolean dryRun, Clock clock) {
        this.options = options;
        this.dryRun = dryRun;
        this.clock = clock;
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
}
