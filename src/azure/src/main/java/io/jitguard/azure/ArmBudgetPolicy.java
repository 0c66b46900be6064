package io.jitguard.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The {@link ArmBudget} in azure-core's pipeline, once per attempt (after the retry policy, so a retried request waits
 * for its subscription's budget too): waits for a token before sending, then reads ARM's
 * {@code x-ms-ratelimit-remaining-subscription-*} headers and a 429's {@code Retry-After} back into the budget.
 */
public final class ArmBudgetPolicy implements HttpPipelinePolicy {
    static final HttpHeaderName REMAINING_READS = HttpHeaderName.fromString("x-ms-ratelimit-remaining-subscription-reads");
    static final HttpHeaderName REMAINING_WRITES =
            HttpHeaderName.fromString("x-ms-ratelimit-remaining-subscription-writes");
    /** When a 429 carries no usable Retry-After. */
    static final Duration DEFAULT_PAUSE = Duration.ofSeconds(5);

    private final ArmBudget budget;
    private final java.util.function.LongSupplier nanoClock;

    public ArmBudgetPolicy(ArmBudget budget) {
        this(budget, System::nanoTime);
    }

    /** @param nanoClock the clock of the calls' deadlines ({@link CallDeadline}) */
    ArmBudgetPolicy(ArmBudget budget, java.util.function.LongSupplier nanoClock) {
        this.budget = budget;
        this.nanoClock = nanoClock;
    }

    /**
     * The subscription's bucket of this kind would make the request wait past its call's deadline (ARM's Retry-After
     * after a 429, or the bucket empty): it is not sent, and fails as ARM's 429 would, retryable after that wait.
     */
    static io.jitguard.arm.ArmException notSent(HttpPipelineCallContext context, boolean write, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new io.jitguard.arm.ArmException(429, "SubscriptionRequestsThrottled",
                context.getHttpRequest().getHttpMethod() + " " + context.getHttpRequest().getUrl().getPath()
                        + " not sent: the subscription's " + (write ? "write" : "read") + " budget is empty for "
                        + seconds + " s (ARM's Retry-After or its token bucket), past this call's time limit"
                        + " (Retry-After: " + seconds + " s)", null, Duration.ofSeconds(seconds));
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.defer(() -> {
            String sub = ArmBudget.subscriptionOf(context.getHttpRequest().getUrl().getPath());
            boolean write = isWrite(context.getHttpRequest().getHttpMethod());
            Duration wait = reserve(context, sub, write);
            Mono<HttpResponse> send = next.process().doOnNext(r -> observe(sub, write, r));
            return wait.isZero() ? send : Mono.delay(wait).then(send);
        });
    }

    /** A token of the request's bucket and how long to wait for it; past the call's deadline: {@link #notSent}. */
    private Duration reserve(HttpPipelineCallContext context, String sub, boolean write) {
        Duration left = CallDeadline.timeLeft(context, nanoClock);
        if (left == null) {
            return budget.reserve(sub, write);
        }
        // a wait past the call's deadline is not slept through: the call fails now, retryable after the wait
        ArmBudget.Reservation r = budget.reserveWithin(sub, write, left.isNegative() ? Duration.ZERO : left);
        if (r.refused()) {
            throw notSent(context, write, r.delay());
        }
        return r.delay();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        String sub = ArmBudget.subscriptionOf(context.getHttpRequest().getUrl().getPath());
        boolean write = isWrite(context.getHttpRequest().getHttpMethod());
        Duration wait = reserve(context, sub, write);
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the ARM budget", e);
            }
        }
        HttpResponse response = next.processSync();
        observe(sub, write, response);
        return response;
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }

    /** Reads the answer's budget headers into {@link ArmBudget}. */
    void observe(String sub, boolean write, HttpResponse response) {
        observeHeaders(budget, sub, write, response.getStatusCode(), response.getHeaderValue(REMAINING_READS),
                response.getHeaderValue(REMAINING_WRITES), response.getHeaderValue(HttpHeaderName.RETRY_AFTER));
    }

    static void observeHeaders(ArmBudget budget, String sub, boolean write, int status, String remainingReads,
            String remainingWrites, String retryAfter) {
        long reads = number(remainingReads);
        long writes = number(remainingWrites);
        if (reads >= 0) {
            budget.observeRemaining(sub, false, reads);
        }
        if (writes >= 0) {
            budget.observeRemaining(sub, true, writes);
        }
        if (status == 429) {
            long seconds = number(retryAfter);
            budget.pause(sub, write, seconds >= 0 ? Duration.ofSeconds(seconds) : DEFAULT_PAUSE);
        }
    }

    private static boolean isWrite(HttpMethod method) {
        return !(method == HttpMethod.GET || method == HttpMethod.HEAD);
    }

    private static long number(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
