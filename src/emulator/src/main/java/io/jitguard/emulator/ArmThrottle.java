package io.jitguard.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ARM's per-subscription token buckets (the documented regional limits): reads 250 capacity refilled 25 per second,
 * writes 200 refilled 10 per second. A request takes one token from its bucket; an empty bucket answers 429 with
 * {@code Retry-After} = whole seconds until a token is back. Thread-safe. Time comes from the clock it is given, so
 * a test can hold it still.
 */
final class ArmThrottle {
    static final int READ_CAPACITY = 250;
    static final double READ_REFILL = 25;
    static final int WRITE_CAPACITY = 200;
    static final double WRITE_REFILL = 10;

    /** One bucket. */
    static final class Bucket {
        private final double capacity;
        private final double perSecond;
        private final Clock clock;
        private double tokens;
        private Instant last;

        Bucket(double capacity, double perSecond, Clock clock) {
            this.capacity = capacity;
            this.perSecond = perSecond;
            this.clock = clock;
            this.tokens = capacity;
            this.last = clock.instant();
        }

        private void refill() {
            Instant now = clock.instant();
            if (now.isAfter(last)) {
                tokens = Math.min(capacity, tokens + Duration.between(last, now).toNanos() / 1e9 * perSecond);
                last = now;
            }
        }

        /** Takes a token: {@code 0} when granted, else the seconds to wait (at least 1). */
        synchronized long take() {
            refill();
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }

        synchronized long remaining() {
            refill();
            return (long) Math.floor(tokens);
        }
    }

    private final Map<String, Bucket[]> buckets = new ConcurrentHashMap<>();
    private final Clock clock;

    ArmThrottle(Clock clock) {
        this.clock = clock;
    }

    Bucket[] of(String subscription) {
        return buckets.computeIfAbsent(subscription.toLowerCase(java.util.Locale.ROOT),
                k -> new Bucket[] {new Bucket(READ_CAPACITY, READ_REFILL, clock),
                        new Bucket(WRITE_CAPACITY, WRITE_REFILL, clock)});
    }

    static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
