package io.jitguard.events;

/** A delivery that is not a well-formed Event Grid / CloudEvents batch; the one-line message names event and field. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The event at position {@code i} of the delivery is invalid for {@code reason}. */
    static InvalidEventException at(int i, String reason) {
        return new InvalidEventException("event " + i + ": " + reason);
    }

    /** At most 200 characters of {@code s}, for a message. */
    static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
