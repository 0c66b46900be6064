package io.jitguard.cli;

import java.util.Map;

/** A command that reads settings from the environment it is handed (tests hand their own). */
interface EnvironmentAware {
    void environment(Map<String, String> env);

    /** The clock a run judges dates by (when exclusions expire); the system clock unless a test hands one. */
    default void clock(java.time.Clock clock) {
    }
}
