package io.jitguard.report;

/**
 * Something that could not be done, with ARM's answer.
 *
 * @param target    the scope or resource id
 * @param status    HTTP status, 0 when no answer came
 * @param retryable true when trying again later may succeed (throttling, 5xx, timeouts, time budget spent)
 */
public record Failure(String target, int status, String code, String message, boolean retryable) {
}
