package io.jitguard.reliability;

import io.jitguard.testing.Azurite;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.BlobLeasePolicyLocks;
import io.jitguard.azure.SdkArm;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.PolicyLocks;
import io.jitguard.engine.RunOptions;
import io.jitguard.events.EventRouter;
import io.jitguard.report.Report;
import io.jitguard.report.VmStatus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 4: 50 VM-created events for one resource group + location, reconciled concurrently — in one process, in
 * two "processes" sharing Azurite leases, and with a real second (and third) JVM — lose nothing.
 */
class ConcurrencyTest {
    static final int VMS = 50;

    @TempDir
    Path tmp;
    ArmEmulator emulator;
    List<String> vms;
    JsonNode policyBefore;

    @BeforeEach
    void start() {
        emulator = ArmEmulator.start(Fleet.example(), 0);
        vms = Fleet.addWebVms(emulator, "vm-c", VMS);
        policyBefore = emulator.resource(Fleet.POLICY).orElseThrow();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void fiftyEventsOnEightThreadsInOneProcessLoseNothing() throws Exception {
        Jitguard jitguard = Fleet.jitguard(emulator, ArmOptions.DEFAULT, new InProcessPolicyLocks());
        List<Report> reports = handleConcurrently(jitguard, events(vms), 8);

        assertThat(reports).allSatisfy(r -> assertThat(r.failures()).isEmpty());
        assertNothingLost();
        long writes = reports.stream().mapToLong(r -> r.armCalls().writes()).sum();
        assertThat(writes).isEqualTo(emulator.stats().writes()).isLessThanOrEqualTo(VMS);
        System.out.printf("[reliability] one process, 8 threads, %d events: %d writes, %d reads%n", VMS, writes,
                emulator.stats().reads());
    }

    @Test
    void twoInstancesSharingAzuriteLeasesLoseNothing() throws Exception {
        Azurite.require();
        BlobLeasePolicyLocks locksA = BlobLeasePolicyLocks.fromConnectionString(Azurite.connectionString(),
                Duration.ofSeconds(60));
        BlobLeasePolicyLocks locksB = BlobLeasePolicyLocks.fromConnectionString(Azurite.connectionString(),
                Duration.ofSeconds(60));
        Jitguard a = Fleet.jitguard(emulator, ArmOptions.DEFAULT, locksA);
        Jitguard b = Fleet.jitguard(emulator, ArmOptions.DEFAULT, locksB);
        List<String> events = events(vms);
        ExecutorService both = Executors.newFixedThreadPool(2);
        Future<List<Report>> ra = both.submit(() -> handleConcurrently(a, events.subList(0, VMS / 2), 4));
        Future<List<Report>> rb = both.submit(() -> handleConcurrently(b, events.subList(VMS / 2, VMS), 4));
        List<Report> reports = new ArrayList<>(ra.get(120, TimeUnit.SECONDS));
        reports.addAll(rb.get(120, TimeUnit.SECONDS));
        both.shutdown();

        assertThat(reports).allSatisfy(r -> assertThat(r.failures()).isEmpty());
        assertNothingLost();
        assertThat(locksA.acquired() + locksB.acquired()).isEqualTo(VMS);
        System.out.printf("[reliability] two instances over Azurite: %d writes, leases %d, lease contention %d%n",
                emulator.stats().writes(), locksA.acquired() + locksB.acquired(),
                locksA.contended() + locksB.contended());
    }

    @Test
    void aRealSecondJvmAndThisOneShareTheLeases() throws Exception {
        Azurite.require();
        List<String> events = events(vms);
        // Every ARM answer takes 15 ms, so this JVM is still writing when the children (≈1 s to start) write.
        emulator.faults().rate(1.0).kinds("slow").slowMs(15);
        // Two child JVMs run `jitguard handle-event` (the CLI, composed by Jitguard.fromEnvironment, which picks the
        // blob leases from AzureWebJobsStorage) on batches; this JVM handles the rest one event at a time.
        List<Process> children = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Path file = tmp.resolve("batch-" + c + ".json");
            Files.writeString(file, Fleet.array(events.subList(c * 10, c * 10 + 10)).toString());
            children.add(child(file, tmp.resolve("child-" + c + ".log")));
        }
        BlobLeasePolicyLocks locks = BlobLeasePolicyLocks.fromConnectionString(Azurite.connectionString(),
                Duration.ofSeconds(60));
        Jitguard here = Fleet.jitguard(emulator, ArmOptions.DEFAULT, locks);
        // Start when the children are reading (their JVMs take a second or two to start), so the writes overlap. The
        // emulator says when it has served their reads; the timeout only keeps a child that never reads from hanging
        // the test (its exit code and log below then say why).
        emulator.stats().awaitReads(2, Duration.ofSeconds(120));
        List<Report> reports = handleConcurrently(here, events.subList(20, VMS), 4);
        for (int c = 0; c < children.size(); c++) {
            Process p = children.get(c);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(tmp.resolve("child-" + c + ".log"));
            // 0 = all compliant; 1 = findings remain elsewhere in the scope (none here: VM scopes only)
            assertThat(p.exitValue()).as(log).isZero();
        }
        assertThat(reports).allSatisfy(r -> assertThat(r.failures()).isEmpty());
        assertNothingLost();
        System.out.printf("[reliability] this JVM + 2 child JVMs over Azurite: %d writes, lease contention here %d%n",
                emulator.stats().writes(), locks.contended());
    }

    private Process child(Path events, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        for (String prop : List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
                "javax.net.ssl.trustStoreType")) {
            if (System.getProperty(prop) != null) {
                cmd.add("-D" + prop + "=" + System.getProperty(prop));
            }
        }
        cmd.addAll(List.of("io.jitguard.cli.Main", "handle-event", "--file", events.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.putAll(Fleet.env(emulator));
        env.put("AzureWebJobsStorage", Azurite.connectionString());
        return pb.start();
    }

    static List<String> events(List<String> vmIds) {
        return vmIds.stream().map(id -> Fleet.vmCreated(null, id)).toList();
    }

    static List<Report> handleConcurrently(Jitguard jitguard, List<String> events, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Report>> futures = new ArrayList<>();
            for (String event : events) {
                futures.add(pool.submit(() -> jitguard.reconcile(EventRouter.parse(event).scopes(),
                        new RunOptions(false, "test:event-grid"))));
            }
            List<Report> reports = Collections.synchronizedList(new ArrayList<>());
            for (Future<Report> f : futures) {
                reports.add(f.get(120, TimeUnit.SECONDS));
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertNothingLost() {
        JsonNode after = emulator.resource(Fleet.POLICY).orElseThrow();
        assertThat(Fleet.lostEntries(policyBefore, after)).as("entries that existed before").isEmpty();
        assertThat(after.path("properties").path("requests")).as("requests history")
                .isEqualTo(policyBefore.path("properties").path("requests"));
        assertThat(Fleet.uncovered(emulator, vms, List.of(Fleet.POLICY))).as("VMs not covered").isEmpty();
        Report check = Fleet.check(emulator, Fleet.RG_WEB);
        for (String vm : vms) {
            assertThat(check.vms()).filteredOn(v -> v.id().equalsIgnoreCase(vm))
                    .singleElement().satisfies(v -> assertThat(v.status()).isEqualTo(VmStatus.COMPLIANT));
        }
    }
}
