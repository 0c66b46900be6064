package io.jitguard.report;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one requested scope ended, from the trigger's input to the trigger's action: the one value every trigger maps
 * with one exhaustive {@code switch} on {@link #kind()} (Event Grid logs or hands off to the queue, the queue returns
 * or throws, HTTP picks its status, the CLI its exit code). Computed from a report only by {@link ScopeOutcomes}, from
 * a refused input check only by {@code engine.Refusals}; the decision log's result is {@link #result()}.
 */
public sealed interface ScopeOutcome {
    /** For a {@code switch} expression (Java 17 has no pattern switch): one constant per permitted type. */
    enum Kind { REJECTED, OUT_OF_SCOPE, NOT_FOUND, CONVERGED, TERMINAL, REQUEUE }

    String REJECTED = "rejected";
    String OUT_OF_SCOPE = "out-of-scope";
    String NOT_FOUND = "not-found";
    String FAILED = "failed";
    String TRANSIENT_FAILURE = "transient-failure";

    /** Every {@link #result()} an outcome can have. */
    static List<String> results() {
        List<String> all = new java.util.ArrayList<>(List.of(REJECTED, OUT_OF_SCOPE, NOT_FOUND, FAILED,
                TRANSIENT_FAILURE));
        for (Converged.State state : Converged.State.values()) {
            all.add(state.label());
        }
        return List.copyOf(all);
    }

    Kind kind();

    /** Why, for anything but a clean {@link Converged}; null then. */
    String reason();

    /** The decision log's result: {@code rejected}, {@code out-of-scope}, {@code not-found}, a {@link Converged.State}
     * label, {@code failed} or {@code transient-failure}. */
    String result();

    /** Refused before anything was read: the trigger's input (a malformed scope, event or message) or the app's
     * settings were wrong. Nothing was read or written. */
    record Rejected(String reason, Source source) implements ScopeOutcome {
        /** Whose mistake: the caller's input, or the settings of the app (the caller cannot fix those). */
        public enum Source { INPUT, SETTINGS }

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(source, "source");
        }

        public static Rejected input(String reason) {
            return new Rejected(reason, Source.INPUT);
        }

        public static Rejected settings(String reason) {
            return new Rejected(reason, Source.SETTINGS);
        }

        public Kind kind() {
            return Kind.REJECTED;
        }

        public String result() {
            return REJECTED;
        }
    }

    /** The scope lies outside the subscriptions jitguard is configured for; nothing was read or written. */
    record OutOfScope(String reason) implements ScopeOutcome {
        public OutOfScope {
            Objects.requireNonNull(reason, "reason");
        }

        public Kind kind() {
            return Kind.OUT_OF_SCOPE;
        }

        public String result() {
            return OUT_OF_SCOPE;
        }
    }

    /** ARM answered 404 for the scope itself: a typo, or a VM deleted before its event arrived. Never retried. */
    record NotFound(String reason) implements ScopeOutcome {
        public NotFound {
            Objects.requireNonNull(reason, "reason");
        }

        public Kind kind() {
            return Kind.NOT_FOUND;
        }

        public String result() {
            return NOT_FOUND;
        }
    }

    /**
     * Nothing further to try: compliant, fixed, or findings that only a person can resolve (reported).
     *
     * @param reason what remains, for {@link State#remains()} states; null otherwise
     */
    record Converged(State state, String reason) implements ScopeOutcome {
        /** What the scope looks like after the run. */
        public enum State {
            COMPLIANT("compliant"), FIXED("fixed"), WOULD_FIX("would-fix"), FINDINGS_REMAIN("findings-remain"),
            /** The only remaining finding is exposure: covered VMs whose NSGs let a baseline port in (report only). */
            EXPOSED("exposed");

            private final String label;

            State(String label) {
                this.label = label;
            }

            public String label() {
                return label;
            }

            public boolean remains() {
                return this != COMPLIANT && this != FIXED;
            }
        }

        public Converged {
            Objects.requireNonNull(state, "state");
        }

        public Kind kind() {
            return Kind.CONVERGED;
        }

        public String result() {
            return state.label();
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

        public String result() {
            return FAILED;
        }
    }

    /**
     * A later try may get further (throttling, 5xx past the retry budget, lock unavailable, time budget spent).
     *
     * @param retryAfter how long ARM asked to wait ({@code Retry-After}); null when it said nothing
     */
    record Requeue(String reason, Duration retryAfter) implements ScopeOutcome {
        public Requeue {
            Objects.requireNonNull(reason, "reason");
        }

        public Kind kind() {
            return Kind.REQUEUE;
        }

        public String result() {
            return TRANSIENT_FAILURE;
        }
    }
}
