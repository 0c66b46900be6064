package io.jitguard.engine;

/**
 * @param dryRun  plan and report only, even in enforce mode
 * @param trigger what started the run, for the report and logs (e.g. {@code cli:sweep}, {@code event-grid})
 */
public record RunOptions(boolean dryRun, String trigger) {
}
