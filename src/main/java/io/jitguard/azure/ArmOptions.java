package io.jitguard.azure;

import java.time.Duration;

/**
 * How hard {@link SdkArm} tries.
 *
 * @param maxRetries  retries after the first attempt (azure-core's default is 3); 429/408/5xx and I/O errors are
 *                    retried, honouring {@code Retry-After}
 * @param callTimeout bound on one logical request, retries and their delays included; exceeded → status 0 (transient)
 * @param httpLogging azure-core HTTP logging at BASIC level (never headers or bodies; Authorization is always redacted)
 */
public record ArmOptions(int maxRetries, Duration callTimeout, boolean httpLogging) {
    public static final ArmOptions DEFAULT = new ArmOptions(3, Duration.ofSeconds(60), false);

    public ArmOptions {
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be 0..10: " + maxRetries);
        }
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
        }
    }

    public ArmOptions withMaxRetries(int retries) {
        return new ArmOptions(retries, callTimeout, httpLogging);
    }

    public ArmOptions withCallTimeout(Duration timeout) {
        return new ArmOptions(maxRetries, timeout, httpLogging);
    }
}
