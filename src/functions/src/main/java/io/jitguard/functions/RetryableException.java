package io.jitguard.functions;

/**
 * Thrown by a function so its trigger tries again: Event Grid redelivers the event, the queue host makes the message
 * visible again (and moves it to the poison queue after {@code maxDequeueCount}). Only for failures that a later try
 * may get past: ARM throttling, 5xx beyond the retry budget, the invocation's time budget spent.
 */
public class RetryableException extends RuntimeException {
    public RetryableException(String message) {
        super(message);
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
