package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Each attempt of a call waits only for what is left of the call's time; none starts after it. */
class CallDeadlineTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final List<Object> timeoutsSeen = new ArrayList<>();

    private HttpPipeline pipeline(long nanosPerAttempt) {
        HttpClient transport = new HttpClient() {
            @Override
            public Mono<HttpResponse> send(HttpRequest request) {
                throw new UnsupportedOperationException("the engine's calls are synchronous");
            }

            @Override
            public HttpResponse sendSync(HttpRequest request, Context context) {
                timeoutsSeen.add(context.getData(CallDeadline.RESPONSE_TIMEOUT).orElse(null));
                now.addAndGet(nanosPerAttempt);
                throw new UncheckedIOException(new HttpTimeoutException("no answer"));
            }
        };
        return new HttpPipelineBuilder().httpClient(transport).policies(
                new com.azure.core.http.policy.RetryPolicy(new com.azure.core.http.policy.FixedDelay(5,
                        Duration.ZERO)),
                new CallDeadline(now::get)).build();
    }

    @Test
    void eachAttemptWaitsOnlyForWhatIsLeftAndNoneStartsAfterTheDeadline() {
        HttpPipeline pipeline = pipeline(Duration.ofMillis(300).toNanos());
        Context call = CallDeadline.start(Duration.ofMillis(800), now::get);

        assertThatThrownBy(() -> pipeline.sendSync(new HttpRequest(HttpMethod.GET, "https://arm.test/x"), call))
                .isInstanceOf(RuntimeException.class);

        // 800 ms: attempts at 0, 300 and 600 ms; the fourth would start at 900 ms and is refused before it is sent
        assertThat(timeoutsSeen).containsExactly(Duration.ofMillis(800), Duration.ofMillis(500),
                Duration.ofMillis(200));
    }

    @Test
    void aRequestWithoutADeadlineIsLeftAlone() {
        HttpPipeline pipeline = pipeline(0);
        assertThatThrownBy(() -> pipeline.sendSync(new HttpRequest(HttpMethod.GET, "https://arm.test/x"),
                Context.NONE)).isInstanceOf(RuntimeException.class);
        assertThat(timeoutsSeen).hasSize(6).containsOnlyNulls();
    }
}
