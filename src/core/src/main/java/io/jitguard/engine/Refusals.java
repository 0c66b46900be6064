package io.jitguard.engine;

import io.jitguard.baseline.SettingsException;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.scope.InvalidScopeException;

/**
 * The one place an input check that refused a scope before anything was read becomes its {@link ScopeOutcome}
 * (a report becomes one in {@link io.jitguard.report.ScopeOutcomes}): a malformed scope id is
 * {@link ScopeOutcome.Rejected} input, a malformed setting is {@link ScopeOutcome.Rejected} settings, a subscription
 * outside {@code JITGUARD_SUBSCRIPTIONS} is {@link ScopeOutcome.OutOfScope}.
 */
public final class Refusals {
    private Refusals() {
    }

    public static ScopeOutcome of(InvalidScopeException e) {
        return ScopeOutcome.Rejected.input(e.getMessage());
    }

    public static ScopeOutcome of(SettingsException e) {
        return ScopeOutcome.Rejected.settings("invalid settings: " + e.getMessage());
    }

    public static ScopeOutcome of(OutOfScopeException e) {
        return new ScopeOutcome.OutOfScope(e.getMessage());
    }

    /** Whichever of the three refused; anything else is not a refusal and is thrown on. */
    public static ScopeOutcome of(RuntimeException e) {
        if (e instanceof InvalidScopeException i) {
            return of(i);
        }
        if (e instanceof SettingsException s) {
            return of(s);
        }
        if (e instanceof OutOfScopeException o) {
            return of(o);
        }
        throw e;
    }
}
