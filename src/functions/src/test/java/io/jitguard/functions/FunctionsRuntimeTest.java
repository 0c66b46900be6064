package io.jitguard.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.azure.SelfIdentity;
import io.jitguard.runtime.Jitguard;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FunctionsRuntimeTest {
    @Test
    void theEngineIsBuiltOnceAndAFailedBuildIsTriedAgain() {
        AtomicInteger builds = new AtomicInteger();
        Jitguard engine = Jitguard.fromEnvironment(Map.of("JITGUARD_ARM_TOKEN", "t"));
        FunctionsRuntime runtime = FunctionsRuntime.of(() -> {
            if (builds.incrementAndGet() == 1) {
                throw new IllegalStateException("first build fails");
            }
            return engine;
        });

        assertThatThrownBy(runtime::jitguard).hasMessage("first build fails");
        assertThat(runtime.jitguard()).isSameAs(engine);
        assertThat(runtime.jitguard()).isSameAs(engine);
        assertThat(builds).hasValue(2);
    }

    @Test
    void aKnownIdentityIsKeptAndAnUnknownOneIsNotAskedForOnEveryEvent() {
        AtomicInteger asked = new AtomicInteger();
        FunctionsRuntime unknown = FunctionsRuntime.of(() -> null, () -> {
            asked.incrementAndGet();
            return SelfIdentity.unknown();
        });
        for (int i = 0; i < 5; i++) {
            assertThat(unknown.self().known()).isFalse();
        }
        assertThat(asked).hasValue(1);

        FunctionsRuntime known = FunctionsRuntime.of(() -> null, () -> SelfIdentity.of("a", "b"));
        assertThat(known.self()).isSameAs(known.self());
    }

    @Test
    void settingsAreReadLazilySoAnInvalidOneFailsTheInvocationNotTheHost() {
        FunctionsRuntime runtime = FunctionsRuntime.fromEnvironment(Map.of("JITGUARD_PORTS", "nope"));
        assertThatThrownBy(runtime::jitguard).hasMessageContaining("JITGUARD_PORTS");
        assertThatThrownBy(runtime::eventJitguard).hasMessageContaining("JITGUARD_PORTS");
    }
}
