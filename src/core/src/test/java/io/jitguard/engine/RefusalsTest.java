package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.baseline.SettingsException;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.Scopes;
import org.junit.jupiter.api.Test;

class RefusalsTest {
    @Test
    void aMalformedScopeIsRejectedInput() {
        InvalidScopeException e = catchInvalid("not-an-id");
        ScopeOutcome o = Refusals.of((RuntimeException) e);
        assertThat(o).isEqualTo(ScopeOutcome.Rejected.input(e.getMessage()));
    }

    @Test
    void aMalformedSettingIsRejectedSettingsNamingIt() {
        ScopeOutcome o = Refusals.of((RuntimeException) new SettingsException("JITGUARD_PORTS", "not a port: x"));
        assertThat(o).isInstanceOf(ScopeOutcome.Rejected.class);
        assertThat(((ScopeOutcome.Rejected) o).source()).isEqualTo(ScopeOutcome.Rejected.Source.SETTINGS);
        assertThat(o.reason()).isEqualTo("invalid settings: JITGUARD_PORTS: not a port: x");
    }

    @Test
    void aSubscriptionOutsideTheSettingsIsOutOfScope() {
        assertThat(Refusals.of((RuntimeException) new OutOfScopeException("not in JITGUARD_SUBSCRIPTIONS")))
                .isEqualTo(new ScopeOutcome.OutOfScope("not in JITGUARD_SUBSCRIPTIONS"));
    }

    @Test
    void anythingElseIsNotARefusalAndIsThrownOn() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> Refusals.of(bug)).isSameAs(bug);
    }

    private static InvalidScopeException catchInvalid(String id) {
        try {
            Scopes.parse(id);
        } catch (InvalidScopeException e) {
            return e;
        }
        throw new AssertionError(id + " parsed");
    }
}
