package io.jitguard.engine;

import io.jitguard.scope.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * @param dryRun   plan and report only, even in enforce mode
 * @param trigger  what started the run, for the report and logs (e.g. {@code cli:sweep}, {@code event-grid})
 * @param deadline optional time budget: once it has passed, the reconciler starts no new ARM read or write and reports
 *                 what it did not do as {@code failed} with the retryable code {@value Reconciler#TIME_BUDGET_EXHAUSTED}
 *                 (never silently skipped). {@code null} = no budget. A call already under way is bounded by
 *                 {@link io.jitguard.azure.ArmOptions#callTimeout()}, not by the deadline.
 * @param driftStarts for an event-driven run: each scope and the time of the ARM write that raised its event; a VM
 *                    jitguard fixes within one of them has its time to protect counted from there (empty = date the
 *                    drift from what ARM says)
 */
public record RunOptions(boolean dryRun, String trigger, Instant deadline, Map<Scope, Instant> driftStarts) {
    public RunOptions {
        driftStarts = driftStarts == null ? Map.of() : Map.copyOf(driftStarts);
    }

    public RunOptions(boolean dryRun, String trigger, Instant deadline) {
        this(dryRun, trigger, deadline, Map.of());
    }

    public RunOptions(boolean dryRun, String trigger) {
        this(dryRun, trigger, null);
    }

    /** The same options with these drift starts; a scope named twice keeps its earliest time. */
    public RunOptions withDriftStarts(Map<Scope, Instant> starts) {
        Map<Scope, Instant> all = new LinkedHashMap<>(driftStarts);
        starts.forEach((scope, at) -> all.merge(scope, at, (a, b) -> a.isBefore(b) ? a : b));
        return new RunOptions(dryRun, trigger, deadline, all);
    }

    /** The same options with a deadline {@code budget} from now on {@code clock}. */
    public RunOptions withBudget(Duration budget, Clock clock) {
        return new RunOptions(dryRun, trigger, clock.instant().plus(budget), driftStarts);
    }

    public RunOptions withDeadline(Instant deadline) {
        return new RunOptions(dryRun, trigger, deadline, driftStarts);
    }

    public Optional<Instant> deadlineIfAny() {
        return Optional.ofNullable(deadline);
    }

    /** True when a deadline is set and {@code now} is at or past it. */
    public boolean expired(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }
}
