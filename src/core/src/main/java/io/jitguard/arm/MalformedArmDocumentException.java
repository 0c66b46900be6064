package io.jitguard.arm;

/**
 * ARM answered with a document jitguard cannot read (not JSON, or a resource without the fields every resource
 * has). The engine reports it as a non-retryable {@code MalformedArmDocument} failure of the scope or resource it
 * was reading; it never escapes a reconcile.
 */
public class MalformedArmDocumentException extends RuntimeException {
    public static final String CODE = "MalformedArmDocument";

    public MalformedArmDocumentException(String message) {
        super(message);
    }

    public MalformedArmDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
