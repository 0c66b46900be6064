package io.jitguard.scope;

/** A resource id that is not a scope jitguard reconciles, or is not a well-formed ARM id. One-line message. */
public class InvalidScopeException extends RuntimeException {
    public InvalidScopeException(String message) {
        super(message);
    }
}
