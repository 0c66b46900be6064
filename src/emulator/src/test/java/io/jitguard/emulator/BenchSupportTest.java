package io.jitguard.emulator;

import static io.jitguard.emulator.EmulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The API the bench command uses: synthetic estates, latency, ARM throttling and the extra stats. */
class BenchSupportTest {

    @Test
    void syntheticEstateIsDeterministicAndShapedAsDocumented() {
        Estate a = Estate.synthetic(2, 40, 0.25, 7);
        Estate b = Estate.synthetic(2, 40, 0.25, 7);
        assertThat(a.resources()).isEqualTo(b.resources());
        assertThat(a.subscriptions()).hasSize(2);
        long vms = a.resources().stream().filter(r -> r.get("type").asText().equals(ArmEmulator.VM_TYPE)).count();
        assertThat(vms).isEqualTo(80);
        long covered = a.resources().stream().filter(r -> r.get("type").asText().equals(ArmEmulator.JIT_TYPE))
                .mapToLong(r -> r.at("/properties/virtualMachines").size()).sum();
        assertThat(covered).isBetween(40L, 79L); // about 75 % compliant
        assertThat(a.resources().stream().map(r -> r.path("location").asText()).filter(l -> !l.isEmpty()).distinct())
                .containsExactlyInAnyOrder("westeurope", "northeurope");
    }

    @Test
    void fiftyThousandVmsFitAndServe() throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Estate estate = Estate.synthetic(50, 1000, 0.1, 1).withPageSize(1000);
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            System.gc();
            long used = rt.totalMemory() - rt.freeMemory() - before;
            System.out.printf("synthetic 50k VMs: ~%d MB heap%n", used >> 20);
            assertThat(used).isLessThan(1L << 30);
            EmulatorClient client = new EmulatorClient(emulator);
            String next = "/subscriptions/" + SyntheticEstate.subscriptionId(49)
                    + "/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01";
            int count = 0;
            while (next != null) {
                JsonNode page = json(client.get(next));
                count += page.get("value").size();
                next = page.hasNonNull("nextLink") ? page.get("nextLink").asText() : null;
            }
            assertThat(count).isEqualTo(1000);
            JsonNode nsg = json(client.get("/subscriptions/" + SyntheticEstate.subscriptionId(0)
                    + "/resourceGroups/rg-app-1/providers/Microsoft.Network/networkSecurityGroups/nsg-1?api-version=2024-05-01"));
            assertThat(nsg.at("/properties/networkInterfaces")).hasSize(250);
            assertThat(emulator.stats().cpuNanos()).isPositive();
        }
    }

    @Test
    void aClientThatWaitsForEachAnswerIsNeverCountedTwiceInFlight() throws Exception {
        // the request leaves the count before its answer goes out, so the next one cannot overlap it
        try (ArmEmulator emulator = ArmEmulator.start(Estate.load(EmulatorClient.exampleEstate()), 0)) {
            EmulatorClient client = new EmulatorClient(emulator);
            for (int i = 0; i < 300; i++) {
                assertThat(client.get("/subscriptions/" + EmulatorClient.A + "?api-version=2022-12-01").statusCode())
                        .isEqualTo(200);
            }
            assertThat(emulator.stats().reads()).isEqualTo(300);
            assertThat(emulator.stats().maxInFlight()).isEqualTo(1);
        }
    }

    @Test
    void latencyDoesNotSerializeConcurrentClients() throws Exception {
        Estate estate = Estate.load(EmulatorClient.exampleEstate()).withLatency(Duration.ofMillis(300));
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            EmulatorClient client = new EmulatorClient(emulator);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.get("/subscriptions/" + EmulatorClient.A + "?api-version=2022-12-01").statusCode();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Integer> c : calls) {
                assertThat(c.get()).isEqualTo(200);
            }
            // all 16 waited their 300 ms at once, not one after the other
            assertThat(emulator.stats().maxInFlight()).isGreaterThan(1);
            assertThat(emulator.stats().reads()).isEqualTo(16);
            pool.shutdownNow();
        }
    }

    @Test
    void armThrottlingEmptiesTheWriteBucketAndAnswers429WithRetryAfter() throws Exception {
        Estate estate = Estate.load(EmulatorClient.exampleEstate()).withArmThrottling(true);
        HeldClock clock = new HeldClock(Instant.parse("2026-11-25T10:00:00Z"));
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0, EmulatorTls.tlsDir(), clock)) {
            EmulatorClient client = new EmulatorClient(emulator);
            String path = "/subscriptions/" + EmulatorClient.A + "/resourceGroups/rg-web/providers/Microsoft.Security/"
                    + "locations/westeurope/jitNetworkAccessPolicies/nope?api-version=2020-01-01";
            HttpResponse<String> first = client.delete(path);
            assertThat(first.headers().firstValue("x-ms-ratelimit-remaining-subscription-writes")).contains("199");
            HttpResponse<String> last = first;
            int sent = 1;
            while (last.statusCode() != 429 && sent < 400) {
                last = client.delete(path);
                sent++;
            }
            assertThat(last.statusCode()).isEqualTo(429);
            assertThat(sent).isEqualTo(201); // the clock stands still: 200 tokens, nothing refilled
            assertThat(last.headers().firstValue("Retry-After")).contains("1");
            assertThat(json(last).at("/error/code").asText()).isEqualTo("SubscriptionRequestsThrottled");
            assertThat(emulator.stats().throttled()).isEqualTo(1);
            // reads have their own bucket
            HttpResponse<String> read = client.get("/subscriptions/" + EmulatorClient.A + "?api-version=2022-12-01");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).contains("249");
            // one second later 10 writes are back (10 per second)
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> refilled = client.delete(path);
            assertThat(refilled.statusCode()).isNotEqualTo(429);
            assertThat(refilled.headers().firstValue("x-ms-ratelimit-remaining-subscription-writes")).contains("9");
        }
    }

    /** A clock that moves only when told to. */
    static final class HeldClock extends Clock {
        private volatile Instant now;

        HeldClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
