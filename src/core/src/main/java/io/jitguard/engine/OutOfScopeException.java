package io.jitguard.engine;

/** A scope outside the subscriptions jitguard is configured for: refused before anything is read or written. */
public class OutOfScopeException extends RuntimeException {
    public OutOfScopeException(String message) {
        super(message);
    }
}
