package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something that could not be done, with ARM's answer.
 *
 * @param target     the scope or resource id
 * @param status     HTTP status, 0 when no answer came
 * @param retryable  true when trying again later may succeed (throttling, 5xx, timeouts, time budget spent)
 * @param retryAfter seconds ARM asked to wait before trying again ({@code Retry-After}), null when it said nothing
 */
public record Failure(String target, int status, String code, String message, boolean retryable,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Long retryAfter) {
    public Failure(String target, int status, String code, String message, boolean retryable) {
        this(target, status, code, message, retryable, null);
    }

    /** ARM said the target does not exist (404): a typo, or a resource deleted before we got to it. */
    public boolean notFound() {
        return status == 404;
    }
}
