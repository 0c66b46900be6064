package io.jitguard.events;

/** A delivery that is not a well-formed Event Grid / CloudEvents batch; the one-line message names event and field. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
