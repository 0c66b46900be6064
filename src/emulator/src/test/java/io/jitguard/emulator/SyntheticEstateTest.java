package io.jitguard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SyntheticEstateTest {
    @Test
    void syntheticEstateHasTheAskedSizeAndIsDeterministic() {
        Estate a = Estate.synthetic(3, 40, 0.3, 7);
        Estate b = Estate.synthetic(3, 40, 0.3, 7);
        assertThat(a.subscriptions()).hasSize(3);
        long vms = a.resources().stream().filter(r -> r.get("type").asText().equals(ArmEmulator.VM_TYPE)).count();
        assertThat(vms).isEqualTo(120);
        assertThat(a.resources().toString()).isEqualTo(b.resources().toString());
        long covered = a.resources().stream().filter(r -> r.get("type").asText().equals(ArmEmulator.JIT_TYPE))
                .mapToLong(r -> r.path("properties").path("virtualMachines").size()).sum();
        assertThat(covered).isBetween(60L, 110L); // about 70 % of 120
    }

    @Test
    void armThrottlingAnswers429WithRetryAfterOnceTheReadBucketIsEmpty() throws Exception {
        Estate estate = Estate.synthetic(1, 1, 0, 1).withArmThrottling(true);
        String sub = estate.subscriptions().get(0).subscriptionId();
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            EmulatorClient client = new EmulatorClient(emulator);
            HttpResponse<String> first = client.get("/subscriptions/" + sub + "/resourcegroups?api-version=2021-04-01");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).hasValue("249");
            HttpResponse<String> last = null;
            for (int i = 0; i < 5000 && (last == null || last.statusCode() != 429); i++) {
                last = client.get("/subscriptions/" + sub + "/resourcegroups?api-version=2021-04-01");
            }
            assertThat(last.statusCode()).isEqualTo(429);
            assertThat(last.headers().firstValue("Retry-After")).isPresent();
            JsonNode body = EmulatorClient.json(last);
            assertThat(body.path("error").path("code").asText()).isEqualTo("SubscriptionRequestsThrottled");
            assertThat(emulator.stats().throttled()).isEqualTo(1);
            assertThat(emulator.stats().maxInFlight()).isGreaterThanOrEqualTo(1);
            assertThat(emulator.stats().cpuNanos()).isPositive();
        }
    }
}
