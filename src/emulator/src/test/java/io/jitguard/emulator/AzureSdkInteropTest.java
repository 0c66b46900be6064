package io.jitguard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RetryPolicy;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The real azure-core pipeline with the Netty client, trusting the emulator through the JVM's -D trust store flags. */
class AzureSdkInteropTest {
    @Test
    void nettyPipelineTalksHttpsAndHonoursRetryAfter() {
        try (ArmEmulator emulator = EmulatorClient.startExample()) { // creates the trust store before the client
            // expires long after any run of this test: the pipeline never asks for another
            TokenCredential credential = request -> Mono.just(new AccessToken("fake-token",
                    OffsetDateTime.parse("2999-01-01T00:00:00Z")));
            HttpPipeline pipeline = new HttpPipelineBuilder()
                    .httpClient(new NettyAsyncHttpClientBuilder().build())
                    .policies(new RetryPolicy("Retry-After", ChronoUnit.SECONDS),
                            new BearerTokenAuthenticationPolicy(credential, emulator.endpoint() + ".default"))
                    .build();
            emulator.faults().retryAfterSeconds(1)
                    .script(FaultPlan.ScriptedFault.status("GET", "jitNetworkAccessPolicies", 429, 1));
            String url = emulator.endpoint() + "subscriptions/" + EmulatorClient.A
                    + "/resourceGroups/rg-web/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default"
                    + "?api-version=2020-01-01";
            try (HttpResponse r = pipeline.send(new HttpRequest(HttpMethod.GET, url)).block()) {
                assertThat(r.getStatusCode()).isEqualTo(200);
                assertThat(r.getBodyAsString().block()).contains("\"name\":\"default\"");
            }
            // the gap the emulator saw between its 429 and the retry, not the test's clock
            assertThat(emulator.stats().shortestRetryWait())
                    .hasValueSatisfying(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofMillis(900)));
            assertThat(emulator.stats().faultsInjected()).isEqualTo(1);
            assertThat(emulator.stats().count("GET jitNetworkAccessPolicies")).isEqualTo(1);
        }
    }
}
