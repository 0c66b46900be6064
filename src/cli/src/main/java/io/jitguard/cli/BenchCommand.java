package io.jitguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.baseline.Settings;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorStats;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import io.jitguard.engine.RunOptions;
import io.jitguard.report.Report;
import io.jitguard.runtime.Jitguard;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jitguard bench}: sweeps synthetic estates on the in-process ARM emulator with per-call latency, ARM's
 * throttling and 1000-item pages, and prints what it cost. A benchmark, not a test: numbers depend on the machine.
 * Peak heap is the JVM's (jitguard and the emulator holding the estate share one process).
 */
@Command(name = "bench", description = "Benchmark sweeps, a naive reconcile, the event path and a burst on the emulator.")
final class BenchCommand implements Callable<Integer> {
    static final long SEED = 42;
    static final double NON_COMPLIANT = 0.3;
    /** The naive reconcile is sequential by nature; it runs on at most this many VMs and is scaled linearly. */
    static final int NAIVE_SAMPLE = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--estates", split = ",", defaultValue = "1k,10k,50k",
            description = "Estates to run: 1k (10 subscriptions), 10k (50), 50k (200). Default: ${DEFAULT-VALUE}.")
    List<String> estates;

    @Option(names = "--latency-ms", defaultValue = "20", description = "Latency per ARM call. Default: ${DEFAULT-VALUE}.")
    int latencyMs;

    @Option(names = "--naive", negatable = true, defaultValue = "true", description = "Also run the naive reconcile.")
    boolean naive;

    record Size(String label, int subscriptions, int vmsPerSubscription) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Size> sizes = new ArrayList<>();
        for (String e : estates) {
            sizes.add(switch (e.trim().toLowerCase(Locale.ROOT)) {
                case "1k" -> new Size("1k/10", 10, 100);
                case "10k" -> new Size("10k/50", 50, 200);
                case "50k" -> new Size("50k/200", 200, 250);
                default -> throw new InputException("--estates: unknown estate '" + e + "' (1k, 10k or 50k)");
            });
        }
        if (latencyMs < 0 || latencyMs > 10_000) {
            throw new InputException("--latency-ms: must be 0-10000, was " + latencyMs);
        }
        trustEmulator();
        out.printf("jitguard bench: latency %d ms/call, ARM throttling on, 1000-item pages, %d%% non-compliant, "
                + "%d cores, parallelism %s%n%n", latencyMs, Math.round(NON_COMPLIANT * 100),
                Runtime.getRuntime().availableProcessors(), System.getenv().getOrDefault(Settings.PARALLELISM, "8"));
        out.println("| estate | wall s | reads | writes | writes/min | reads/sub | max in flight | 429s | peak heap MB "
                + "| emulator CPU s | naive wall s | speed-up | 2nd sweep writes | event reads before write (warm, cold) | warm event ms "
                + "| 500-event burst reads |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Size size : sizes) {
            out.println(row(size));
            out.flush();
        }
        return ExitCodes.COMPLIANT;
    }

    private Estate estate(int subs, int vms) {
        return Estate.synthetic(subs, vms, NON_COMPLIANT, SEED).withLatency(Duration.ofMillis(latencyMs))
                .withArmThrottling(true).withPageSize(1000);
    }

    private String row(Size size) {
        Estate estate = estate(size.subscriptions(), size.vmsPerSubscription());
        long minimum = minimumWrites(estate);
        // the event path first, on the fresh estate: one non-compliant VM
        long eventReadsBeforeWrite;
        long eventColdReads;
        long eventMs;
        double wall;
        long reads;
        long writes;
        long maxInFlight;
        long throttled;
        double cpu;
        long secondWrites;
        long heapMb;
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            Jitguard jitguard = connect(emulator);
            List<String> vms = nonCompliantVms(estate, 2);
            emulator.stats().reset();
            Report cold = jitguard.reconcile(List.of(io.jitguard.scope.Scopes.parse(vms.get(0))),
                    new RunOptions(false, "bench:event"));
            // every read of the event run but the one that verifies the write comes before the write
            eventColdReads = emulator.stats().reads() - (cold.writes().isEmpty() ? 0 : 1);
            emulator.stats().reset();
            long t0 = System.nanoTime();
            Report event = jitguard.reconcile(List.of(io.jitguard.scope.Scopes.parse(vms.get(1))),
                    new RunOptions(false, "bench:event"));
            eventMs = (System.nanoTime() - t0) / 1_000_000;
            eventReadsBeforeWrite = emulator.stats().reads() - (event.writes().isEmpty() ? 0 : 1);

            List<Scope> all = jitguard.subscriptionsInScope().stream().<Scope>map(SubscriptionScope::new).toList();
            System.gc();
            resetPeakHeap();
            emulator.stats().reset();
            t0 = System.nanoTime();
            jitguard.reconcile(all, new RunOptions(false, "bench:sweep"));
            wall = (System.nanoTime() - t0) / 1e9;
            heapMb = peakHeap() / (1024 * 1024);
            EmulatorStats s = emulator.stats();
            reads = s.reads();
            writes = s.writes();
            maxInFlight = s.maxInFlight();
            throttled = s.throttled();
            cpu = s.cpuNanos() / 1e9;
            emulator.stats().reset();
            jitguard.reconcile(all, new RunOptions(false, "bench:sweep2"));
            secondWrites = emulator.stats().writes();
        }
        // the event fixed one VM; its group's policy still lacks the group's other VMs, so the minimum stands
        long sweepMinimum = minimum;
        String naiveWall = "-";
        String speedUp = "-";
        if (naive) {
            double naiveSeconds = naive(estate(size.subscriptions(), size.vmsPerSubscription()),
                    size.subscriptions() * size.vmsPerSubscription());
            naiveWall = String.format(Locale.ROOT, "%.1f", naiveSeconds);
            speedUp = String.format(Locale.ROOT, "%.0f×", naiveSeconds / wall);
        }
        long burstReads = burst();
        return String.format(Locale.ROOT, "| %s | %.2f | %d | %d | %.2f | %.1f | %d | %d | %d | %.2f | %s | %s | %d | %s | %d | %d |",
                size.label(), wall, reads, writes, writes / (double) Math.max(1, sweepMinimum),
                reads / (double) size.subscriptions(), maxInFlight, throttled, heapMb, cpu, naiveWall, speedUp,
                secondWrites, eventReadsBeforeWrite + " (cold " + eventColdReads + ")", eventMs, burstReads);
    }

    /** 500 events in one resource group (a scale-out), one batch: the reads it costs. */
    private long burst() {
        Estate estate = estate(1, 500);
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            Jitguard jitguard = connect(emulator);
            String sub = estate.subscriptions().get(0).subscriptionId();
            List<Scope> scopes = new ArrayList<>();
            for (int v = 0; v < 500; v++) {
                scopes.add(new VmScope(sub, "rg-0", "vm-" + v));
            }
            emulator.stats().reset();
            jitguard.reconcile(scopes, new RunOptions(false, "bench:burst"));
            return emulator.stats().reads();
        }
    }

    /**
     * The naive reconcile: list each subscription's VMs, then one VM at a time GET its group's policy, add the VM when
     * missing, PUT. Runs on the first {@link #NAIVE_SAMPLE} VMs and is scaled linearly to the estate.
     */
    private double naive(Estate estate, int totalVms) {
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            Arm arm = connect(emulator).arm();
            long t0 = System.nanoTime();
            int done = 0;
            for (Estate.Subscription sub : estate.subscriptions()) {
                if (done >= NAIVE_SAMPLE) {
                    break;
                }
                for (JsonNode vm : arm.list(ArmOperation.LIST_VMS, "/subscriptions/" + sub.subscriptionId()
                        + "/providers/Microsoft.Compute/virtualMachines")) {
                    if (done++ >= NAIVE_SAMPLE) {
                        break;
                    }
                    String id = vm.path("id").asText();
                    String rg = id.split("/")[4];
                    String location = vm.path("location").asText();
                    String policyId = "/subscriptions/" + sub.subscriptionId() + "/resourceGroups/" + rg
                            + "/providers/Microsoft.Security/locations/" + location
                            + "/jitNetworkAccessPolicies/default";
                    ObjectNode policy;
                    try {
                        policy = (ObjectNode) arm.get(ArmOperation.GET_JIT_POLICY, policyId);
                    } catch (ArmException e) {
                        policy = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("kind", "Basic")
                                .put("location", location);
                        policy.putObject("properties").putArray("virtualMachines");
                    }
                    ArrayNode vms = (ArrayNode) policy.path("properties").path("virtualMachines");
                    boolean present = false;
                    for (JsonNode e : vms) {
                        present |= e.path("id").asText().equalsIgnoreCase(id);
                    }
                    if (!present) {
                        ObjectNode entry = vms.addObject().put("id", id);
                        ArrayNode ports = entry.putArray("ports");
                        for (int port : new int[] {22, 3389, 5985, 5986}) {
                            ports.addObject().put("number", port).put("protocol", "*")
                                    .put("maxRequestAccessDuration", "PT3H").put("allowedSourceAddressPrefix", "*");
                        }
                        arm.put(ArmOperation.PUT_JIT_POLICY, policyId, policy);
                    }
                }
            }
            double sample = (System.nanoTime() - t0) / 1e9;
            return sample * totalVms / Math.min(totalVms, NAIVE_SAMPLE);
        }
    }

    private static Jitguard connect(ArmEmulator emulator) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(Settings.ARM_ENDPOINT, emulator.endpoint(),
                Settings.ARM_TOKEN, DemoCommand.demoToken()));
        String p = System.getenv(Settings.PARALLELISM);
        if (p != null) {
            env.put(Settings.PARALLELISM, p);
        }
        return Jitguard.fromEnvironment(env);
    }

    /** Policies that need a change (a group with a VM missing from its policy) plus assignments with effect Disabled. */
    static long minimumWrites(Estate estate) {
        Set<String> covered = new HashSet<>();
        Set<String> groupsWithVms = new HashSet<>();
        long assignments = 0;
        for (ObjectNode r : estate.resources()) {
            String type = r.path("type").asText();
            if (type.equals(ArmEmulator.JIT_TYPE)) {
                r.path("properties").path("virtualMachines").forEach(v -> covered.add(v.path("id").asText().toLowerCase(Locale.ROOT)));
            } else if (type.equals(ArmEmulator.ASSIGNMENT_TYPE) && "Disabled".equals(r.path("properties")
                    .path("parameters").path("jitNetworkAccessMonitoringEffect").path("value").asText())) {
                assignments++;
            }
        }
        for (ObjectNode r : estate.resources()) {
            if (r.path("type").asText().equals(ArmEmulator.VM_TYPE)
                    && !covered.contains(r.path("id").asText().toLowerCase(Locale.ROOT))) {
                String id = r.path("id").asText();
                groupsWithVms.add(id.substring(0, id.indexOf("/providers/")).toLowerCase(Locale.ROOT));
            }
        }
        return groupsWithVms.size() + assignments;
    }

    static List<String> nonCompliantVms(Estate estate, int count) {
        Set<String> covered = new HashSet<>();
        for (ObjectNode r : estate.resources()) {
            if (r.path("type").asText().equals(ArmEmulator.JIT_TYPE)) {
                r.path("properties").path("virtualMachines").forEach(v -> covered.add(v.path("id").asText().toLowerCase(Locale.ROOT)));
            }
        }
        List<String> found = new ArrayList<>();
        for (ObjectNode r : estate.resources()) {
            if (r.path("type").asText().equals(ArmEmulator.VM_TYPE)
                    && !covered.contains(r.path("id").asText().toLowerCase(Locale.ROOT)) && found.size() < count) {
                found.add(r.path("id").asText());
            }
        }
        if (found.size() < count) {
            throw new IllegalStateException("fewer than " + count + " non-compliant VMs in the estate");
        }
        return found;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset (an upper bound of the heap's peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void trustEmulator() {
        EmulatorTls.ensure();
        System.setProperty("javax.net.ssl.trustStore", EmulatorTls.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }
}
