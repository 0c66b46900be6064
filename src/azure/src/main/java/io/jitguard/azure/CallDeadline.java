package io.jitguard.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;

/**
 * Bounds one logical request, its retries and their waits included: {@link #start} stamps the request's context with
 * a deadline, and each attempt may wait for its answer only until then (the JDK client reads the per-request
 * {@code azure-response-timeout}); an attempt that would start after the deadline fails as a timeout at once.
 */
final class CallDeadline implements HttpPipelinePolicy {
    static final String DEADLINE = "jitguard-call-deadline-nanos";
    /** azure-core's per-request response timeout, read by the JDK HTTP client for each attempt. */
    static final String RESPONSE_TIMEOUT = "azure-response-timeout";

    private final LongSupplier nanoClock;

    CallDeadline(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The context of a request that must be answered within {@code timeout} from now. */
    static Context start(Duration timeout, LongSupplier nanoClock) {
        return Context.NONE.addData(DEADLINE, nanoClock.getAsLong() + timeout.toNanos());
    }

    /** Time left before the call's deadline (maybe negative), or null when the call has none. */
    static Duration timeLeft(HttpPipelineCallContext context, LongSupplier nanoClock) {
        Object deadline = context.getData(DEADLINE).orElse(null);
        return deadline instanceof Long nanos ? Duration.ofNanos(nanos - nanoClock.getAsLong()) : null;
    }

    /** Time left for the attempt about to be sent: positive, or the attempt fails as a timeout. */
    Duration left(HttpPipelineCallContext context) {
        Duration left = timeLeft(context, nanoClock);
        if (left != null && (left.isNegative() || left.isZero())) {
            throw new UncheckedIOException(new HttpTimeoutException("the call's time ran out before this attempt"));
        }
        return left;
    }

    /** Gives the attempt about to be sent what is left of the call as its response timeout. */
    private void bound(HttpPipelineCallContext context) {
        Duration left = left(context);
        if (left != null) {
            context.setData(RESPONSE_TIMEOUT, left);
        }
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        bound(context);
        return next.processSync();
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.defer(() -> {
            bound(context);
            return next.process();
        });
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }
}
