package io.jitguard.baseline;

/** A setting is malformed: the message names the setting, the value and what is wrong. Nothing runs with it. */
public class SettingsException extends RuntimeException {
    private final String setting;

    public SettingsException(String setting, String problem) {
        super(setting + ": " + problem);
        this.setting = setting;
    }

    /** The name of the offending setting, e.g. {@code JITGUARD_PORTS}. */
    public String setting() {
        return setting;
    }
}
