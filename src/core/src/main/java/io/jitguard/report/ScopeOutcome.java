package io.jitguard.report;

import java.time.Duration;
import java.util.Objects;

/**
 * What a trigger does about one requested scope after a run, computed only by {@link ScopeOutcomes}. Every trigger
 * maps it with one {@code switch}: Event Grid hands {@link Requeue} scopes off to the queue, the queue throws so the
 * host retries, HTTP answers 503, the CLI picks its exit code.
 */
public sealed interface ScopeOutcome {
    /** For a {@code switch} (Java 17 has no pattern switch): one constant per permitted type. */
    enum Kind { CONVERGED, REQUEUE, TERMINAL }

    Kind kind();

    /** Nothing further to try: compliant, fixed, or findings that only a person can resolve (reported). */
    record Converged() implements ScopeOutcome {
        public Kind kind() {
            return Kind.CONVERGED;
        }
    }

    /**
     * A later try may get further (throttling, 5xx past the retry budget, lock unavailable, time budget spent).
     *
     * @param retryAfter how long to wait, when known; null when not
     */
    record Requeue(String reason, Duration retryAfter) implements ScopeOutcome {
        public Requeue {
            Objects.requireNonNull(reason, "reason");
        }

        public Kind kind() {
            return Kind.REQUEUE;
        }
    }

    /** Failed in a way that trying again will not change (403, a document jitguard cannot merge, …). */
    record Terminal(String reason) implements ScopeOutcome {
        public Terminal {
            Objects.requireNonNull(reason, "reason");
        }

        public Kind kind() {
            return Kind.TERMINAL;
        }
    }

    /** The reason of a {@link Requeue} or {@link Terminal}; null for {@link Converged}. */
    default String reason() {
        return null;
    }

    ScopeOutcome CONVERGED = new Converged();
}
