package io.jitguard.emulator;

/** An estate file that cannot be used; the message names what is wrong and where (e.g. {@code subscriptions[1].resources[3]: id is missing}). */
public final class EstateException extends RuntimeException {
    public EstateException(String message) {
        super(message);
    }

    public EstateException(String message, Throwable cause) {
        super(message, cause);
    }
}
