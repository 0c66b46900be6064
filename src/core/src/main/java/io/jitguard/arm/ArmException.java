package io.jitguard.arm;

/**
 * An ARM call that failed after azure-core's retries. {@link #isTransient()} (throttling, 5xx, I/O) means "try the
 * scope again later"; anything else (400, 403, 404, 409) is permanent and is reported, not retried.
 */
public class ArmException extends RuntimeException {
    private final int status;
    private final String code;
    private final java.time.Duration retryAfter;

    public ArmException(int status, String code, String message, Throwable cause) {
        this(status, code, message, cause, null);
    }

    /** @param retryAfter ARM's {@code Retry-After} (throttling, 503), null when it sent none */
    public ArmException(int status, String code, String message, Throwable cause, java.time.Duration retryAfter) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** How long ARM asked the caller to wait ({@code Retry-After}), when it said so. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    public ArmException(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** HTTP status, or 0 when no response came (connection reset, timeout). */
    public int status() {
        return status;
    }

    /** ARM's error code, e.g. {@code ResourceNotFound}. */
    public String code() {
        return code;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /**
     * ARM refused the request itself, whatever it named: bad request (400), method not allowed (405) or not
     * implemented (501), as an endpoint answers a request or route it does not serve.
     */
    public boolean isNotServed() {
        return status == 400 || status == 405 || status == 501;
    }

    /** No answer because the credential could not sign in: trying again without a change will not help. */
    public static final String SIGN_IN_FAILED = "SignInFailed";
    /** No answer because the endpoint's TLS certificate is not trusted (or the handshake failed). */
    public static final String UNTRUSTED_CERTIFICATE = "UntrustedCertificate";

    public boolean isTransient() {
        if (status == 0 && (SIGN_IN_FAILED.equals(code) || UNTRUSTED_CERTIFICATE.equals(code))) {
            return false;
        }
        return status == 0 || status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
    }
}
