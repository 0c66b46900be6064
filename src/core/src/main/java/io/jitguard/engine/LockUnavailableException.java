package io.jitguard.engine;

/** A policy's lock could not be had within the wait bound: another writer holds it. Retrying later may succeed. */
public class LockUnavailableException extends RuntimeException {
    public LockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
