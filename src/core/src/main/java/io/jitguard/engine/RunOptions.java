package io.jitguard.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * @param dryRun   plan and report only, even in enforce mode
 * @param trigger  what started the run, for the report and logs (e.g. {@code cli:sweep}, {@code event-grid})
 * @param deadline optional time budget: once it has passed, the reconciler starts no new ARM read or write and reports
 *                 what it did not do as {@code failed} with the retryable code {@value Reconciler#TIME_BUDGET_EXHAUSTED}
 *                 (never silently skipped). {@code null} = no budget. A call already under way is bounded by
 *                 {@link io.jitguard.azure.ArmOptions#callTimeout()}, not by the deadline.
 */
public record RunOptions(boolean dryRun, String trigger, Instant deadline) {
    public RunOptions(boolean dryRun, String trigger) {
        this(dryRun, trigger, null);
    }

    /** The same options with a deadline {@code budget} from now on {@code clock}. */
    public RunOptions withBudget(Duration budget, Clock clock) {
        return new RunOptions(dryRun, trigger, clock.instant().plus(budget));
    }

    public RunOptions withDeadline(Instant deadline) {
        return new RunOptions(dryRun, trigger, deadline);
    }

    public Optional<Instant> deadlineIfAny() {
        return Optional.ofNullable(deadline);
    }

    /** True when a deadline is set and {@code now} is at or past it. */
    public boolean expired(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }
}
