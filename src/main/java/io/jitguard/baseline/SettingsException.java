package io.jitguard.baseline;

/** A setting that is missing or malformed; the message names the setting. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
