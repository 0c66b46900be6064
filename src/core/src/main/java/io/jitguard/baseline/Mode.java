package io.jitguard.baseline;

/** {@code enforce} writes what the plan says; {@code audit} plans and reports but never writes. */
public enum Mode {
    ENFORCE, AUDIT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
