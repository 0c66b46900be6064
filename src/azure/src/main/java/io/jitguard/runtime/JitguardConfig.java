package io.jitguard.runtime;

import io.jitguard.azure.ArmSettings;
import io.jitguard.azure.StorageSettings;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.BaselineSettings;
import java.time.Duration;
import java.util.Map;

/**
 * Every setting jitguard reads, parsed and validated once, up front: the baseline ({@code JITGUARD_*}), where ARM is
 * and how to sign in, and the shared storage for policy locks. An invalid value throws
 * {@link io.jitguard.baseline.SettingsException} naming the setting, before anything is read or written.
 */
public record JitguardConfig(Baseline baseline, ArmSettings arm, StorageSettings storage, int parallelism) {
    /**
     * How long a writer waits for another writer's lock on a JIT policy before it reports {@code LockUnavailable}
     * (retryable). One value for every mode; a run with a deadline waits no longer than what is left of it.
     */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(60);

    public static JitguardConfig parse(Map<String, String> env) {
        Map<String, String> settings = Map.copyOf(env);
        return new JitguardConfig(BaselineSettings.parse(settings), ArmSettings.parse(settings),
                StorageSettings.parse(settings), BaselineSettings.parallelism(settings));
    }
}
