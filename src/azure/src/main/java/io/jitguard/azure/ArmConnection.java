package io.jitguard.azure;

import java.util.Map;

/** Builds the {@link SdkArm} the app uses straight from its settings ({@link ArmSettings}). */
public final class ArmConnection {
    private ArmConnection() {
    }

    public static SdkArm fromSettings(Map<String, String> env) {
        return fromSettings(env, ArmOptions.DEFAULT);
    }

    /** @throws io.jitguard.baseline.SettingsException naming the setting when a value is malformed */
    public static SdkArm fromSettings(Map<String, String> env, ArmOptions options) {
        return ArmSettings.parse(env).connect(options);
    }

    /** The validated endpoint, always ending in {@code /}. */
    public static java.net.URI endpoint(Map<String, String> env) {
        return ArmSettings.endpoint(env);
    }
}
