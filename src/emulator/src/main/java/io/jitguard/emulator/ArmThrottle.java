package io.jitguard.emulator;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * ARM's throttling as Microsoft documents it for the token-bucket algorithm
 * (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling): per principal,
 * subscription and region, reads have a bucket of 250 refilled at 25 per second, writes (PUT/PATCH/POST/DELETE) a
 * bucket of 200 refilled at 10 per second. An empty bucket answers 429 with {@code Retry-After} (whole seconds until a
 * token is back); every answer carries {@code x-ms-ratelimit-remaining-subscription-reads}/{@code -writes}. The
 * emulator has one principal and one region, so a bucket per subscription (tenant-level requests share one).
 */
final class ArmThrottle {
    static final double READ_CAPACITY = 250;
    static final double READ_REFILL_PER_SECOND = 25;
    static final double WRITE_CAPACITY = 200;
    static final double WRITE_REFILL_PER_SECOND = 10;

    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    ArmThrottle(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The decision for one request: admitted (a token taken) or not, with the remaining count and Retry-After. */
    record Decision(boolean admitted, long remaining, long retryAfterSeconds) {
    }

    Decision take(String subscription, boolean write) {
        String key = (subscription == null ? "" : subscription.toLowerCase(Locale.ROOT)) + (write ? "|w" : "|r");
        Bucket b = buckets.computeIfAbsent(key, k -> write
                ? new Bucket(WRITE_CAPACITY, WRITE_REFILL_PER_SECOND, nanoClock.getAsLong())
                : new Bucket(READ_CAPACITY, READ_REFILL_PER_SECOND, nanoClock.getAsLong()));
        return b.take(nanoClock.getAsLong());
    }

    /** Remaining tokens of the other kind, for the header of an answer (no token taken). */
    long remaining(String subscription, boolean write) {
        Bucket b = buckets.get((subscription == null ? "" : subscription.toLowerCase(Locale.ROOT)) + (write ? "|w" : "|r"));
        return b == null ? (long) (write ? WRITE_CAPACITY : READ_CAPACITY) : b.peek(nanoClock.getAsLong());
    }

    private static final class Bucket {
        private final double capacity;
        private final double perSecond;
        private double tokens;
        private long last;

        Bucket(double capacity, double perSecond, long now) {
            this.capacity = capacity;
            this.perSecond = perSecond;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized Decision take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return new Decision(true, (long) Math.floor(tokens), 0);
            }
            long retry = (long) Math.ceil((1 - tokens) / perSecond);
            return new Decision(false, 0, Math.max(1, retry));
        }

        synchronized long peek(long now) {
            refill(now);
            return (long) Math.floor(tokens);
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - last) / 1e9 * perSecond);
            last = now;
        }
    }
}
