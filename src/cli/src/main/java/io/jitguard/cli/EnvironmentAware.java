package io.jitguard.cli;

import java.util.Map;

/** A command that reads settings from the environment it is handed (tests hand their own). */
interface EnvironmentAware {
    void environment(Map<String, String> env);
}
