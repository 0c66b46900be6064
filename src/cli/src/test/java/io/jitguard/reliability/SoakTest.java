package io.jitguard.reliability;

import io.jitguard.testing.Azurite;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.BlobLeasePolicyLocks;
import io.jitguard.azure.SdkArm;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.PolicyLocks;
import io.jitguard.report.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak run, not part of {@code mvn verify}:
 * {@code mvn -B test -Dgroups=soak -DexcludedGroups=none -Dtest=SoakTest} (Azurite running).
 * Figures: {@code -Dsoak.events=500 -Dsoak.faultRate=0.2 -Dsoak.seed=1}.
 *
 * <p>Two writers (two Jitguard instances, each with its own ARM client and its own blob-lease locks on Azurite, 4
 * threads each) handle a shuffled stream of VM-created events (with duplicates), policy-write events and the events
 * of their own writes, while the emulator injects 429 (Retry-After 1 s) / 500 / 503 / resets / slow answers. An event
 * whose run reports a retryable failure is redelivered, as Event Grid would. Then: nothing may be lost.
 */
@Tag("soak")
class SoakTest {
    static final String RG_DATA = "/subscriptions/" + Fleet.PROD + "/resourceGroups/rg-data";
    static final String POLICY_DATA = RG_DATA + "/providers/Microsoft.Security/locations/northeurope/"
            + "jitNetworkAccessPolicies/default";

    static volatile Map<String, Runnable> CREATORS = Map.of();

    @Test
    void soak() throws Exception {
        Azurite.require();
        int target = Integer.getInteger("soak.events", 500);
        double rate = Double.parseDouble(System.getProperty("soak.faultRate", "0.2"));
        long seed = Long.getLong("soak.seed", 1L);
        try (ArmEmulator emulator = Fleet.start(Fleet.example().withPageSize(100))) {
            int newVms = target * 3 / 5;
            // VMs come into existence when their first event is delivered, as in life: policy events only see the
            // VMs created so far, so the writers really race on the two policies.
            Map<String, Runnable> creators = new java.util.concurrent.ConcurrentHashMap<>();
            List<String> vms = new ArrayList<>();
            for (int i = 1; i <= newVms; i++) {
                boolean web = i <= newVms * 2 / 3;
                String name = String.format(web ? "vm-s-%03d" : "vm-d-%03d", i);
                String id = Fleet.vmId(web ? "rg-web" : "rg-data", name);
                vms.add(id);
                creators.put(id.toLowerCase(), web
                        ? () -> Fleet.addVm(emulator, "rg-web", "westeurope", name, Fleet.RG_WEB
                                + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web", Fleet.RG_WEB
                                + "/providers/Microsoft.Network/virtualNetworks/vnet-web/subnets/snet-web")
                        : () -> Fleet.addVm(emulator, "rg-data", "northeurope", name, null,
                                RG_DATA + "/providers/Microsoft.Network/virtualNetworks/vnet-data/subnets/snet-db"));
            }
            CREATORS = creators;
            JsonNode webBefore = emulator.resource(Fleet.POLICY).orElseThrow();
            JsonNode dataBefore = emulator.resource(POLICY_DATA).orElse(null);

            Random rnd = new Random(seed);
            List<String> events = new ArrayList<>();
            vms.forEach(vm -> events.add(Fleet.vmCreated(emulator, vm)));
            while (events.size() < target) {
                int kind = rnd.nextInt(3);
                if (kind == 0) {
                    events.add(IdempotencyTest.event(rnd.nextBoolean() ? Fleet.POLICY : POLICY_DATA));
                } else {
                    events.add(Fleet.vmCreated(emulator, vms.get(rnd.nextInt(vms.size())))); // a duplicate
                }
            }
            Collections.shuffle(events, rnd);

            emulator.faults().rate(rate).kinds("429", "500", "503", "reset", "slow").retryAfterSeconds(1).slowMs(300)
                    .seed(seed);
            ArmOptions options = new ArmOptions(3, Duration.ofSeconds(30), false, Duration.ofMillis(100),
                    Duration.ofSeconds(2));
            SdkArm armA = Wiring.arm(emulator, options);
            SdkArm armB = Wiring.arm(emulator, options);
            BlobLeasePolicyLocks locksA = BlobLeasePolicyLocks.fromConnectionString(Azurite.connectionString(),
                    Duration.ofSeconds(60));
            BlobLeasePolicyLocks locksB = BlobLeasePolicyLocks.fromConnectionString(Azurite.connectionString(),
                    Duration.ofSeconds(60));
            Jitguard a = jitguard(emulator, armA, locksA);
            Jitguard b = jitguard(emulator, armB, locksB);

            Map<String, Integer> writesPerPolicy = new TreeMap<>();
            Map<String, Integer> failureCodes = new TreeMap<>();
            List<String> pending = events;
            int deliveries = 0;
            int redeliveries = 0;
            int selfEvents = 0;
            long laterRoundWrites = 0;
            int rounds = 0;
            while (!pending.isEmpty() && rounds++ < 10) {
                int ownBefore = emulator.events().size();
                List<String> forA = new ArrayList<>();
                List<String> forB = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    (i % 2 == 0 ? forA : forB).add(pending.get(i));
                }
                deliveries += pending.size();
                long writesBefore = emulator.stats().writes();
                ExecutorService two = Executors.newFixedThreadPool(2);
                Future<List<Report>> fa = two.submit(() -> handle(a, forA, 4));
                Future<List<Report>> fb = two.submit(() -> handle(b, forB, 4));
                List<Report> ra = fa.get(30, TimeUnit.MINUTES);
                List<Report> rb = fb.get(30, TimeUnit.MINUTES);
                two.shutdown();
                List<String> again = new ArrayList<>();
                collect(forA, ra, again, writesPerPolicy, failureCodes);
                collect(forB, rb, again, writesPerPolicy, failureCodes);
                redeliveries += again.size();
                if (rounds > 1) {
                    laterRoundWrites += emulator.stats().writes() - writesBefore;
                }
                // the events our own writes raised come back too (once, on the first round)
                if (rounds == 1) {
                    List<com.fasterxml.jackson.databind.node.ObjectNode> own = emulator.events();
                    own.subList(ownBefore, own.size()).forEach(e -> again.add(e.toString()));
                    selfEvents = own.size() - ownBefore;
                }
                pending = again;
            }
            long faults = emulator.faults().rate() > 0 ? emulator.stats().faultsInjected() : 0;
            emulator.faults().clear();

            JsonNode web = emulator.resource(Fleet.POLICY).orElseThrow();
            List<String> lost = new ArrayList<>(Fleet.lostEntries(webBefore, web));
            if (dataBefore != null) {
                lost.addAll(Fleet.lostEntries(dataBefore, emulator.resource(POLICY_DATA).orElseThrow()));
            }
            boolean requestsIntact = web.path("properties").path("requests")
                    .equals(webBefore.path("properties").path("requests"));
            List<String> uncovered = Fleet.uncovered(emulator, vms, List.of(Fleet.POLICY, POLICY_DATA));
            FaultsTest.assertNoDuplicates(web);
            FaultsTest.assertNoDuplicates(emulator.resource(POLICY_DATA).orElseThrow());

            System.out.println("[soak] ------------------------------------------------------------");
            System.out.printf("[soak] events: %d (%d new VMs, rest duplicates and policy events), + %d self-events%n",
                    events.size(), vms.size(), selfEvents);
            System.out.printf("[soak] deliveries: %d (redeliveries after retryable failures: %d, self-events fed"
                    + " back: %d, rounds: %d, still pending: %d); writes caused by self-events + redeliveries: %d%n",
                    deliveries, redeliveries, selfEvents, rounds, pending.size(), laterRoundWrites);
            System.out.printf("[soak] retryable failures reported (then redelivered): %s%n", failureCodes);
            System.out.printf("[soak] faults injected: %d at rate %.2f (429 Retry-After 1 s, 500, 503, reset, slow"
                    + " 300 ms)%n", faults, rate);
            System.out.printf("[soak] ARM requests seen by the emulator: %d reads, %d writes%n",
                    emulator.stats().reads(), emulator.stats().writes());
            System.out.printf("[soak] writer A: %s, %d retries; writer B: %s, %d retries%n", armA.calls(),
                    armA.retries(), armB.calls(), armB.retries());
            System.out.printf("[soak] leases: A %d (contended %d), B %d (contended %d)%n", locksA.acquired(),
                    locksA.contended(), locksB.acquired(), locksB.contended());
            System.out.printf("[soak] successful writes per policy: %s%n", writesPerPolicy);
            System.out.printf("[soak] lost entries: %d, uncovered VMs: %d, requests intact: %s%n",
                    lost.size(), uncovered.size(), requestsIntact);
            assertThat(pending).isEmpty();
            assertThat(lost).isEmpty();
            assertThat(uncovered).isEmpty();
            assertThat(requestsIntact).isTrue();
        }
    }

    /** Like {@link ConcurrencyTest#handleConcurrently}, creating a VM just before its first event is handled. */
    static List<Report> handle(Jitguard jitguard, List<String> events, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Report>> futures = new ArrayList<>();
            for (String event : events) {
                futures.add(pool.submit(() -> {
                    io.jitguard.events.EventBatch batch = io.jitguard.events.EventRouter.parse(event);
                    batch.events().forEach(e -> {
                        Runnable create = CREATORS.remove(e.subject().toLowerCase());
                        if (create != null) {
                            create.run();
                        }
                    });
                    return jitguard.reconcile(batch.scopes(), new io.jitguard.engine.RunOptions(false, "soak"));
                }));
            }
            List<Report> reports = new ArrayList<>();
            for (Future<Report> f : futures) {
                reports.add(f.get(30, TimeUnit.MINUTES));
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Jitguard jitguard(ArmEmulator emulator, SdkArm arm, PolicyLocks locks) {
        return Wiring.jitguard(emulator, arm, i -> i, locks, Fleet.CLOCK);
    }

    private static void collect(List<String> events, List<Report> reports, List<String> again,
            Map<String, Integer> writesPerPolicy, Map<String, Integer> failureCodes) {
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            r.writes().forEach(w -> writesPerPolicy.merge(w.substring(w.indexOf("/resourceGroups/") + 16), 1,
                    Integer::sum));
            assertThat(r.failures()).allSatisfy(f -> assertThat(f.retryable()).as(f.toString()).isTrue());
            r.failures().forEach(f -> failureCodes.merge(f.status() + " " + f.code(), 1, Integer::sum));
            if (r.hasTransientFailure()) {
                again.add(events.get(i));
            }
        }
    }
}
