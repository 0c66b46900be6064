package io.jitguard.baseline;

import java.time.Duration;
import java.util.Objects;

/**
 * How exposure is judged ({@code ExposureCheck}).
 *
 * @param widestPrefixLength a public source prefix this wide or wider (length at most this) counts as the Internet
 *                           ({@value Settings#EXPOSURE_PREFIX_LENGTH}, 0-32, default {@value #DEFAULT_PREFIX_LENGTH})
 * @param jitDenyGrace       how long after a JIT policy was last written Defender may take to add its deny rules
 *                           before their absence is reported ({@value Settings#JIT_DENY_GRACE}, default PT1H)
 */
public record ExposureSettings(int widestPrefixLength, Duration jitDenyGrace) {
    public static final int DEFAULT_PREFIX_LENGTH = 8;
    public static final Duration DEFAULT_JIT_DENY_GRACE = Duration.ofHours(1);

    public ExposureSettings {
        Objects.requireNonNull(jitDenyGrace, "jitDenyGrace");
    }

    public static ExposureSettings defaults() {
        return new ExposureSettings(DEFAULT_PREFIX_LENGTH, DEFAULT_JIT_DENY_GRACE);
    }
}
