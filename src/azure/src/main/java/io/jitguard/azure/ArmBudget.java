package io.jitguard.azure;

import io.jitguard.model.ArmId;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * jitguard's own copy of ARM's request budget, so it slows down before ARM throttles it. ARM gives each principal, per
 * subscription and region, a bucket of 250 reads refilled at 25 per second and one of 200 writes refilled at 10 per
 * second (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). This keeps the
 * same buckets per subscription, a little smaller ({@link #READS}, {@link #WRITES}), and corrects them from ARM's
 * answers:
 * <ul>
 * <li>{@code x-ms-ratelimit-remaining-subscription-reads}/{@code -writes} lower the bucket to what ARM says is left
 * (other clients of the same principal spend it too), so a low count slows jitguard down;</li>
 * <li>a 429 with {@code Retry-After} pauses that subscription's bucket of that kind until then, for every request,
 * not only the one retried.</li>
 * </ul>
 * {@link #reserve} takes a token now and answers how long to wait before sending (tokens may go below zero: each
 * waiter holds its place in line). Time comes from a nanosecond clock, so tests use a fake one.
 */
public final class ArmBudget {
    /** Client-side buckets: 90 % of ARM's, so a small overshoot from other clients does not reach a 429. */
    public static final Limits READS = new Limits(225, 25);
    public static final Limits WRITES = new Limits(180, 10);
    /** Requests that are not under a subscription (e.g. the subscription list) share this key. */
    static final String TENANT = "";

    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public record Limits(double capacity, double perSecond) {
    }

    public ArmBudget(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public static ArmBudget system() {
        return new ArmBudget(System::nanoTime);
    }

    /** Takes a token of {@code subscription}'s bucket; the answer is how long to wait before sending (maybe zero). */
    public Duration reserve(String subscription, boolean write) {
        return bucket(subscription, write).reserve(nanoClock.getAsLong());
    }

    /**
     * As {@link #reserve}, but only when the wait is at most {@code longest}: otherwise nothing is taken and the answer
     * is empty with how long the wait would be ({@link Reservation#refused()}).
     */
    public Reservation reserveWithin(String subscription, boolean write, Duration longest) {
        return bucket(subscription, write).reserveWithin(nanoClock.getAsLong(), longest.toNanos());
    }

    /** A token taken with {@link Reservation#delay} before sending, or none because the wait would have been that long. */
    public record Reservation(Duration delay, boolean refused) {
    }

    /** ARM said {@code remaining} requests of this kind are left for the subscription. */
    public void observeRemaining(String subscription, boolean write, long remaining) {
        if (remaining >= 0) {
            bucket(subscription, write).lowerTo(remaining, nanoClock.getAsLong());
        }
    }

    /** ARM answered 429 with {@code retryAfter}: no request of this kind goes to the subscription before then. */
    public void pause(String subscription, boolean write, Duration retryAfter) {
        bucket(subscription, write).pause(nanoClock.getAsLong(), retryAfter);
    }

    /** Whole tokens left now (for tests and diagnostics). */
    public long available(String subscription, boolean write) {
        return bucket(subscription, write).available(nanoClock.getAsLong());
    }

    /** The subscription id of an ARM path ({@code /subscriptions/{id}/...}), or {@link #TENANT}. */
    public static String subscriptionOf(String path) {
        if (path == null) {
            return TENANT;
        }
        return ArmId.subscriptionOfPath(path).map(s -> s.toLowerCase(Locale.ROOT)).orElse(TENANT);
    }

    private Bucket bucket(String subscription, boolean write) {
        String key = (subscription == null ? TENANT : subscription.toLowerCase(Locale.ROOT)) + (write ? "|w" : "|r");
        return buckets.computeIfAbsent(key, k -> new Bucket(write ? WRITES : READS, nanoClock.getAsLong()));
    }

    private static final class Bucket {
        private final Limits limits;
        private double tokens;
        private long last;
        private long pausedUntil;

        Bucket(Limits limits, long now) {
            this.limits = limits;
            this.tokens = limits.capacity();
            this.last = now;
            this.pausedUntil = now;
        }

        synchronized Duration reserve(long now) {
            return reserveWithin(now, Long.MAX_VALUE).delay();
        }

        synchronized Reservation reserveWithin(long now, long longestNanos) {
            refill(now);
            long pauseLeft = Math.max(0, pausedUntil - now);
            double after = tokens - 1;
            long refillWait = after >= 0 ? 0 : (long) Math.ceil(-after / limits.perSecond() * 1e9);
            long wait = Math.max(pauseLeft, refillWait);
            if (wait > longestNanos) {
                return new Reservation(Duration.ofNanos(wait), true);
            }
            tokens = after;
            return new Reservation(Duration.ofNanos(wait), false);
        }

        synchronized void lowerTo(long remaining, long now) {
            refill(now);
            tokens = Math.min(tokens, remaining);
        }

        synchronized void pause(long now, Duration retryAfter) {
            refill(now);
            pausedUntil = Math.max(pausedUntil, now + retryAfter.toNanos());
            tokens = Math.min(tokens, 0);
        }

        synchronized long available(long now) {
            refill(now);
            return (long) Math.floor(Math.max(0, tokens));
        }

        private void refill(long now) {
            // a paused bucket does not refill: the pause is ARM's own statement of when tokens are back
            long from = Math.max(last, pausedUntil);
            if (now > from) {
                tokens = Math.min(limits.capacity(), tokens + (now - from) / 1e9 * limits.perSecond());
            }
            last = Math.max(last, now);
        }
    }
}
