package io.jitguard.runtime;

import io.jitguard.azure.ArmSettings;
import io.jitguard.azure.StorageSettings;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.BaselineSettings;
import io.jitguard.baseline.Settings;
import io.jitguard.baseline.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Every setting jitguard reads, parsed and validated once, up front: the baseline ({@code JITGUARD_*}), where ARM is
 * and how to sign in, and the shared storage for policy locks. An invalid value throws
 * {@link io.jitguard.baseline.SettingsException} naming the setting, before anything is read or written.
 */
public record JitguardConfig(Baseline baseline, ArmSettings arm, StorageSettings storage, int parallelism,
                             int splitThreshold) {
    /**
     * How long a writer waits for another writer's lock on a JIT policy before it reports {@code LockUnavailable}
     * (retryable). One value for every mode; a run with a deadline waits no longer than what is left of it.
     */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(60);

    public static JitguardConfig parse(Map<String, String> env) {
        Map<String, String> settings = withExclusionsFile(Map.copyOf(env));
        return new JitguardConfig(BaselineSettings.parse(settings), ArmSettings.parse(settings),
                StorageSettings.parse(settings), BaselineSettings.parallelism(settings),
                BaselineSettings.splitThreshold(settings));
    }

    /**
     * {@code JITGUARD_EXCLUSIONS} is a JSON document (starts with {@code [} or <code>{</code>) or the path of a file
     * holding one: the file is read here (core does no I/O) and its content handed on in place of the path.
     */
    static Map<String, String> withExclusionsFile(Map<String, String> env) {
        String raw = env.get(Settings.EXCLUSIONS);
        if (raw == null || raw.isBlank() || BaselineSettings.looksLikeJson(raw)) {
            return env;
        }
        Path path = Path.of(raw.strip());
        String content;
        try {
            content = Files.readString(path);
        } catch (IOException | RuntimeException e) {
            throw new SettingsException(Settings.EXCLUSIONS, "cannot read file " + path + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        if (!BaselineSettings.looksLikeJson(content)) {
            throw new SettingsException(Settings.EXCLUSIONS, "file " + path
                    + " does not hold a JSON array or object of exclusions");
        }
        Map<String, String> out = new HashMap<>(env);
        out.put(Settings.EXCLUSIONS, content);
        return Map.copyOf(out);
    }
}
