package io.jitguard.azure;

import java.time.Duration;

/**
 * How hard {@link SdkArm} tries.
 *
 * @param maxRetries    retries after the first attempt (azure-core's default is 3); 429/408/5xx and I/O errors are
 *                      retried, honouring {@code Retry-After}; 400/403/404/409 never
 * @param callTimeout   bound on one logical request, retries included: each attempt waits only for what is left of
 *                      it, and none starts after it ({@link CallDeadline}); a wait between attempts longer than it is
 *                      not waited; exceeded → status 0 (transient). This is what caps ARM retry time per call.
 * @param httpLogging   azure-core HTTP logging at BASIC level (never headers or bodies; Authorization is always redacted)
 * @param retryDelay    first back-off delay when the answer carries no {@code Retry-After} (doubles each retry)
 * @param maxRetryDelay largest back-off delay without {@code Retry-After}
 */
public record ArmOptions(int maxRetries, Duration callTimeout, boolean httpLogging, Duration retryDelay,
                         Duration maxRetryDelay) {
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(800);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(8);
    public static final ArmOptions DEFAULT = new ArmOptions(3, Duration.ofSeconds(60), false);
    /**
     * For a run that must finish inside an Event Grid delivery (the endpoint answers within 30 s): 2 retries, 8 s per
     * call, back-off 200 ms → 2 s. Pair it with a {@code RunOptions} deadline of about 20 s.
     */
    public static final ArmOptions EVENT_GRID = new ArmOptions(2, Duration.ofSeconds(8), false,
            Duration.ofMillis(200), Duration.ofSeconds(2));

    public ArmOptions(int maxRetries, Duration callTimeout, boolean httpLogging) {
        this(maxRetries, callTimeout, httpLogging, DEFAULT_RETRY_DELAY, DEFAULT_MAX_RETRY_DELAY);
    }

    public ArmOptions {
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be 0..10: " + maxRetries);
        }
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
        }
        if (retryDelay == null || retryDelay.isNegative() || retryDelay.isZero()) {
            throw new IllegalArgumentException("retryDelay must be positive: " + retryDelay);
        }
        if (maxRetryDelay == null || maxRetryDelay.compareTo(retryDelay) < 0) {
            throw new IllegalArgumentException("maxRetryDelay must be >= retryDelay: " + maxRetryDelay);
        }
    }

    public ArmOptions withMaxRetries(int retries) {
        return new ArmOptions(retries, callTimeout, httpLogging, retryDelay, maxRetryDelay);
    }

    public ArmOptions withCallTimeout(Duration timeout) {
        return new ArmOptions(maxRetries, timeout, httpLogging, retryDelay, maxRetryDelay);
    }

    public ArmOptions withRetryDelays(Duration first, Duration max) {
        return new ArmOptions(maxRetries, callTimeout, httpLogging, first, max);
    }
}
