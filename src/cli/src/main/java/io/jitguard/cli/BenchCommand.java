package io.jitguard.cli;

import io.jitguard.model.ArmId;
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
import io.jitguard.engine.RunPhases;
import io.jitguard.events.EventRouter;
import io.jitguard.report.VmStatus;
import io.jitguard.report.Report;
import io.jitguard.runtime.Jitguard;
import io.jitguard.scope.Scope;
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
 * Peak heap is the JVM's (jitguard and the emulator holding the estate share one process); the emulator's share is
 * what the heap retains after a GC before the sweep (the estate's documents, the JVM's baseline), jitguard's share
 * is the peak minus that (an upper bound: the emulator's garbage while serving the sweep counts as jitguard's).
 * Likewise jitguard's CPU is the process's CPU during the sweep minus the emulator's request threads' CPU.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        footer = {"", "Settings (environment):", "  JITGUARD_PARALLELISM  ARM requests one run keeps in flight (1-64, default 16)",
                "", ExitCodes.TOOL_EXIT_CODES},
        description = "Benchmark sweeps, a naive reconcile, the event path and a burst on the emulator.")
final class BenchCommand implements Callable<Integer> {
    static final long SEED = 42;
    static final double NON_COMPLIANT = 0.3;
    /** The naive reconcile is sequential by nature; it runs on at most this many VMs and is scaled linearly. */
    static final int NAIVE_SAMPLE = 1000;
    static final int BURST = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--estates", split = ",", defaultValue = "1k-wide,10k-wide,50k-wide",
            description = "Estates to run: 1k (10 subscriptions), 10k (50), 50k (200), 20k1 (1 subscription of 20,000 VMs),"
                    + " each with 4 resource groups per subscription; with -wide (e.g. 10k-wide), 10 resource groups"
                    + " x 2 locations (20 JIT policies) per subscription. Default: ${DEFAULT-VALUE}.")
    List<String> estates;

    @Option(names = "--latency-ms", defaultValue = "20", description = "Latency per ARM call. Default: ${DEFAULT-VALUE}.")
    int latencyMs;

    @Option(names = "--no-naive", description = "Skip the naive reconcile (its speed-up column prints -).")
    boolean noNaive;

    @Option(names = "--no-warm-up", description = "Measure the first estate in a cold JVM (no warm-up sweep first).")
    boolean noWarmUp;

    @Option(names = "--no-cli", description = "Skip the sweeps by the CLI in its own JVM (the CPU columns print -).")
    boolean noCli;

    @Option(names = "--reports", description = "Instead of the sweep table, time writing the report (every format) "
            + "after a dry run and an enforce sweep of each estate, all VMs uncovered.")
    boolean reports;

    record Size(String label, int subscriptions, int vmsPerSubscription, boolean wide) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Size> sizes = new ArrayList<>();
        for (String e : estates) {
            String name = e.trim().toLowerCase(Locale.ROOT);
            boolean wide = name.endsWith("-wide");
            Size size = switch (wide ? name.substring(0, name.length() - "-wide".length()) : name) {
                case "1k" -> new Size("1k/10", 10, 100, wide);
                case "10k" -> new Size("10k/50", 50, 200, wide);
                case "50k" -> new Size("50k/200", 200, 250, wide);
                case "20k1" -> new Size("20k/1", 1, 20_000, wide);
                default -> throw new InputException("--estates: unknown estate '" + e
                        + "' (1k, 10k, 50k or 20k1, each optionally with -wide)");
            };
            sizes.add(wide ? new Size(size.label() + " wide", size.subscriptions(), size.vmsPerSubscription(), true)
                    : size);
        }
        if (latencyMs < 0 || latencyMs > 10_000) {
            throw new InputException("--latency-ms: must be 0-10000, was " + latencyMs);
        }
        trustEmulator();
        out.printf("jitguard bench: latency %d ms/call, ARM throttling on, 1000-item pages, %d%% non-compliant, "
                + "%d cores, parallelism %s%n%n", latencyMs, Math.round(NON_COMPLIANT * 100),
                Runtime.getRuntime().availableProcessors(), System.getenv().getOrDefault(Settings.PARALLELISM,
                        Integer.toString(io.jitguard.baseline.BaselineSettings.DEFAULT_PARALLELISM)));
        if (reports) {
            out.println(ReportBench.header());
            for (Size size : sizes) {
                ReportBench.rows(size, Duration.ofMillis(latencyMs), SEED, e -> connect(e, RunPhases.NONE))
                        .forEach(out::println);
                out.flush();
            }
            return ExitCodes.COMPLIANT;
        }
        out.println("| estate | wall s | reads | writes | writes/min | reads/sub | in flight: sweep / read / write / "
                + "read-back (requests) | max in flight | 429s | peak heap MB (JVM / emulator's estate / jitguard) | jitguard CPU s "
                + "| jitguard CPU ms per ARM call | emulator CPU s | naive wall s | speed-up | 2nd sweep writes "
                + "| event reads before write (warm, new group, cold) | warm event ms "
                + "| 500-event burst reads / writes / VMs fixed "
                + "| CLI in its own JVM, CPU s (ms per ARM call): java -jar / bin/jitguard flags |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> notes = new ArrayList<>();
        if (!noWarmUp) {
            notes.add(warmUp());
        }
        for (Size size : sizes) {
            out.println(row(size, notes));
            out.flush();
        }
        out.println();
        notes.forEach(out::println);
        return ExitCodes.COMPLIANT;
    }

    private Estate estate(Size size) {
        Estate estate = size.wide()
                ? Estate.syntheticWide(size.subscriptions(), size.vmsPerSubscription(), NON_COMPLIANT, SEED)
                : Estate.synthetic(size.subscriptions(), size.vmsPerSubscription(), NON_COMPLIANT, SEED);
        return estate.withLatency(Duration.ofMillis(latencyMs)).withArmThrottling(true).withPageSize(1000);
    }

    private String row(Size size, List<String> notes) {
        Estate estate = estate(size);
        long minimum = minimumWrites(estate);
        // the event path first, on the fresh estate: one non-compliant VM
        long eventReadsBeforeWrite;
        long eventColdReads;
        long eventColdAfter;
        long eventAfter;
        long eventMs;
        String eventOps;
        long eventNewGroupReads;
        double wall;
        long reads;
        long writes;
        long maxInFlight;
        long throttled;
        double cpu;
        long secondWrites;
        long heapMb;
        long emulatorMb;
        long jitguardCpu;
        String inFlight;
        String sweepOps;
        String phaseWalls;
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            PhaseClock phases = new PhaseClock(emulator.stats());
            Jitguard jitguard = connect(emulator, phases);
            // the event path first, on the fresh estate: a VM-created event for a non-compliant VM, routed as
            // handle-event routes it (EventRouter -> scope -> reconcile); cold = first run of the instance
            // A: first event of the instance (cold); B: another group (plan cached); C: A's group again (warm)
            List<String> vms = nonCompliantVms(estate, 3);
            emulator.stats().reset();
            Report cold = jitguard.reconcile(EventRouter.parse(vmCreated(List.of(vms.get(0)))).scopes(),
                    new RunOptions(false, "bench:event"));
            eventColdReads = readsBeforeWrite(phases, cold, vms.get(0));
            eventColdAfter = phases.readsOf(RunPhases.Phase.EXPOSURE);
            emulator.stats().reset();
            Report other = jitguard.reconcile(EventRouter.parse(vmCreated(List.of(vms.get(1)))).scopes(),
                    new RunOptions(false, "bench:event"));
            eventNewGroupReads = readsBeforeWrite(phases, other, vms.get(1));
            emulator.stats().reset();
            long t0 = System.nanoTime();
            Report event = jitguard.reconcile(EventRouter.parse(vmCreated(List.of(vms.get(2)))).scopes(),
                    new RunOptions(false, "bench:event"));
            eventMs = (System.nanoTime() - t0) / 1_000_000;
            eventReadsBeforeWrite = readsBeforeWrite(phases, event, vms.get(2));
            eventAfter = phases.readsOf(RunPhases.Phase.EXPOSURE);
            eventOps = emulator.stats().byOperation().toString();

            List<Scope> all = jitguard.subscriptionScopes();
            // the emulator's estate (and the JVM's baseline) is what the heap retains before the sweep
            System.gc();
            emulatorMb = usedHeap() / (1024 * 1024);
            resetPeakHeap();
            emulator.stats().reset();
            long cpu0 = processCpu();
            t0 = System.nanoTime();
            jitguard.reconcile(all, new RunOptions(false, "bench:sweep"));
            wall = (System.nanoTime() - t0) / 1e9;
            inFlight = phases.inFlight();
            phaseWalls = phases.walls();
            heapMb = peakHeap() / (1024 * 1024);
            jitguardCpu = processCpu() - cpu0;
            EmulatorStats s = emulator.stats();
            reads = s.reads();
            writes = s.writes();
            maxInFlight = s.maxInFlight();
            throttled = s.throttled();
            cpu = s.cpuNanos() / 1e9;
            sweepOps = s.byOperation().toString();
            emulator.stats().reset();
            jitguard.reconcile(all, new RunOptions(false, "bench:sweep2"));
            secondWrites = emulator.stats().writes();
        }
        // the event fixed one VM; its group's policy still lacks the group's other VMs, so the minimum stands
        long sweepMinimum = minimum;
        String naiveWall = "-";
        String speedUp = "-";
        if (!noNaive) {
            double naiveSeconds = naive(estate(size), size.subscriptions() * size.vmsPerSubscription());
            naiveWall = String.format(Locale.ROOT, "%.1f", naiveSeconds);
            speedUp = String.format(Locale.ROOT, "%.0f×", naiveSeconds / wall);
        }
        long[] burst = burst();
        String cliCpu = "-";
        if (!noCli) {
            java.util.Optional<CliSweep.Result> plain = CliSweep.run(estate(size), List.of());
            java.util.Optional<CliSweep.Result> launcher = CliSweep.run(estate(size), CliSweep.LAUNCHER_FLAGS);
            if (plain.isPresent() && launcher.isPresent()) {
                cliCpu = plain.get().text() + " / " + launcher.get().text();
            }
        }
        notes.add(size.label() + ": warm event reads " + eventOps);
        notes.add(size.label() + ": sweep calls " + sweepOps);
        notes.add(size.label() + String.format(Locale.ROOT, ": sweep wall %.2f s: %s, before the first and after the "
                + "last phase (scopes, the report) the rest", wall, phaseWalls));
        double ownCpu = Math.max(0, jitguardCpu / 1e9 - cpu);
        return String.format(Locale.ROOT, "| %s | %.2f | %d | %d | %.2f | %.1f | %s | %d | %d | %d / %d / %d | %.2f | %.2f | %.2f | %s | %s | %d | %s | %d | %d / %d / %d | %s |",
                size.label(), wall, reads, writes, writes / (double) Math.max(1, sweepMinimum),
                reads / (double) size.subscriptions(), inFlight, maxInFlight, throttled, heapMb, emulatorMb,
                Math.max(0, heapMb - emulatorMb), ownCpu, ownCpu * 1000 / Math.max(1, reads + writes), cpu,
                naiveWall, speedUp,
                secondWrites, eventReadsBeforeWrite + " (new group " + eventNewGroupReads + ", cold " + eventColdReads
                        + "); exposure after the write " + eventAfter + " (cold " + eventColdAfter + ")", eventMs, burst[0], burst[1],
                burst[2], cliCpu);
    }

    /**
     * Two sweeps (enforce, then a second with nothing to write) of a 1k-wide estate of its own, before any row: the
     * rows measure the engine in a warm JVM, as the function app's long-lived worker runs it. The CLI column measures
     * the cold process.
     */
    /**
     * Warms the JVM up as a long-lived worker would be: {@link #WARM_UP_SWEEPS} enforce sweeps, each of a fresh 1k-wide
     * estate on an emulator of its own, so every sweep reads, writes and opens its connections (a second sweep of
     * one estate would write nothing and leave the write path cold).
     */
    private String warmUp() {
        long t0 = System.nanoTime();
        for (int i = 0; i < WARM_UP_SWEEPS; i++) {
            Estate estate = Estate.syntheticWide(10, 100, NON_COMPLIANT, SEED + 1 + i)
                    .withLatency(Duration.ofMillis(latencyMs)).withArmThrottling(true).withPageSize(1000);
            try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
                Jitguard jitguard = connect(emulator, RunPhases.NONE);
                jitguard.reconcile(jitguard.subscriptionScopes(), new RunOptions(false, "bench:warm-up"));
            }
        }
        return String.format(Locale.ROOT, "warm-up: %d enforce sweeps, each of a fresh 1k-wide estate of its own, %.1f s"
                + " (the rows measure a warm JVM; --no-warm-up measures the first estate cold)", WARM_UP_SWEEPS,
                (System.nanoTime() - t0) / 1e9);
    }

    static final int WARM_UP_SWEEPS = 3;

    /**
     * 500 VM-created events in one resource group (a scale-out), one delivery, routed by {@link EventRouter}: the
     * reads it costs. The estate is one subscription of 2,000 VMs round-robin over 4 groups, all VMs new (in no JIT
     * policy), so {@code rg-app-0} holds exactly 500 VMs that need fixing; the burst must fix all 500.
     */
    private long[] burst() {
        Estate estate = Estate.synthetic(1, BURST * 4, 1.0, SEED).withLatency(Duration.ofMillis(latencyMs))
                .withArmThrottling(true).withPageSize(1000);
        // the compact shape on purpose: rg-app-0 holds exactly every fourth VM
        List<String> ids = new ArrayList<>();
        for (ObjectNode r : estate.resources()) {
            String id = r.path("id").asText();
            if (r.path("type").asText().equals(ArmEmulator.VM_TYPE) && id.contains("/resourceGroups/rg-app-0/")) {
                ids.add(id);
            }
        }
        if (ids.size() != BURST) {
            throw new IllegalStateException("burst: expected " + BURST + " VMs in rg-app-0, found " + ids.size());
        }
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            Jitguard jitguard = connect(emulator, RunPhases.NONE);
            List<Scope> scopes = EventRouter.parse(vmCreated(ids)).scopes();
            emulator.stats().reset();
            Report report = jitguard.reconcile(scopes, new RunOptions(false, "bench:burst"));
            long fixed = report.count(VmStatus.FIXED);
            if (fixed != BURST) {
                throw new IllegalStateException("burst: fixed " + fixed + " of " + BURST + " VMs; failures "
                        + report.failures());
            }
            return new long[] {emulator.stats().reads(), emulator.stats().writes(), fixed};
        }
    }

    /** An Event Grid delivery: one {@code Microsoft.Compute/virtualMachines/write} success per VM id. */
    static String vmCreated(List<String> vmIds) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < vmIds.size(); i++) {
            String id = vmIds.get(i);
            String sub = ArmId.parse(id).subscription();
            b.append(i == 0 ? "" : ",").append("{\"id\":\"bench-").append(i)
                    .append("\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",\"subject\":\"")
                    .append(id).append("\",\"topic\":\"/subscriptions/").append(sub)
                    .append("\",\"dataVersion\":\"2\",\"eventTime\":\"2026-11-23T10:00:00Z\",\"data\":{")
                    .append("\"operationName\":\"Microsoft.Compute/virtualMachines/write\",\"resourceUri\":\"")
                    .append(id).append("\",\"subscriptionId\":\"").append(sub)
                    .append("\",\"status\":\"Succeeded\"}}");
        }
        return b.append("]").toString();
    }

    /**
     * The reads an event run made before its write: those of its read phase (the write's own calls, the read under
     * the lock and the PUT, and the end-of-run read-back come after). Fails the bench if the event did not fix its VM.
     */
    private static long readsBeforeWrite(PhaseClock phases, Report report, String vmId) {
        boolean fixed = report.vms().stream().anyMatch(v -> v.id().equalsIgnoreCase(vmId) && v.status() == VmStatus.FIXED);
        if (!fixed || report.writes().size() != 1) {
            throw new IllegalStateException("event: " + vmId + " not fixed by one write; writes " + report.writes()
                    + ", failures " + report.failures());
        }
        return phases.readsOf(RunPhases.Phase.READ);
    }

    /**
     * Records, at each phase a run enters, the emulator's served requests and busy time: per phase, the requests it
     * sent and the average number in flight (busy time over wall time; a request that straddles a phase change counts
     * in the phase it ended in).
     */
    static final class PhaseClock implements RunPhases {
        private final EmulatorStats stats;
        private final List<Object[]> marks = new ArrayList<>();

        PhaseClock(EmulatorStats stats) {
            this.stats = stats;
        }

        @Override
        public synchronized void entered(Phase phase) {
            if (phase == Phase.READ) {
                marks.clear();
            }
            marks.add(new Object[] {phase, System.nanoTime(), stats.busyNanos(), stats.reads(), stats.writes()});
        }

        /** Reads sent during {@code phase} of the last run (0 when it had no such phase). */
        synchronized long readsOf(Phase phase) {
            for (int i = 0; i + 1 < marks.size(); i++) {
                if (marks.get(i)[0] == phase) {
                    return (long) marks.get(i + 1)[3] - (long) marks.get(i)[3];
                }
            }
            return 0;
        }

        /** {@code "read 4.1 s, write 5.0 s, read-back 0.3 s"}: the wall time of each phase of the last run. */
        synchronized String walls() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i + 1 < marks.size(); i++) {
                parts.add(String.format(Locale.ROOT, "%s %.2f s",
                        ((Phase) marks.get(i)[0]).name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        ((long) marks.get(i + 1)[1] - (long) marks.get(i)[1]) / 1e9));
            }
            return String.join(", ", parts);
        }

        /**
         * {@code "14.2 (4150) / 7.9 (1150) / 7.6 (2000) / 7.1 (1000)"}: the whole sweep, then its read, write and
         * read-back phases of the last run (the read phase ends at the first write; reads of subscriptions not yet read
         * go on in the write phase).
         */
        synchronized String inFlight() {
            List<String> parts = new ArrayList<>();
            if (marks.size() > 1) {
                Object[] a = marks.get(0);
                Object[] b = marks.get(marks.size() - 1);
                parts.add(String.format(Locale.ROOT, "%.1f (%d)", ((long) b[2] - (long) a[2])
                        / (double) Math.max(1, (long) b[1] - (long) a[1]),
                        (long) b[3] + (long) b[4] - (long) a[3] - (long) a[4]));
            }
            for (Phase phase : List.of(Phase.READ, Phase.WRITE, Phase.READ_BACK)) {
                String part = "-";
                for (int i = 0; i + 1 < marks.size(); i++) {
                    Object[] a = marks.get(i);
                    Object[] b = marks.get(i + 1);
                    if (a[0] == phase) {
                        double wallNanos = Math.max(1, (long) b[1] - (long) a[1]);
                        long requests = (long) b[3] + (long) b[4] - (long) a[3] - (long) a[4];
                        part = String.format(Locale.ROOT, "%.1f (%d)", ((long) b[2] - (long) a[2]) / wallNanos,
                                requests);
                    }
                }
                parts.add(part);
            }
            return String.join(" / ", parts);
        }
    }

    /**
     * The naive reconcile: list each subscription's VMs, then one VM at a time GET its group's policy, add the VM when
     * missing, PUT. Runs on the first {@link #NAIVE_SAMPLE} VMs and is scaled linearly to the estate.
     */
    private double naive(Estate estate, int totalVms) {
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            Arm arm = connect(emulator, RunPhases.NONE).arm();
            long t0 = System.nanoTime();
            int done = 0;
            for (Estate.Subscription sub : estate.subscriptions()) {
                if (done >= NAIVE_SAMPLE) {
                    break;
                }
                for (JsonNode vm : arm.list(ArmOperation.LIST_VMS,
                        ArmOperation.LIST_VMS.path(ArmId.subscription(sub.subscriptionId()).toString()))) {
                    if (done++ >= NAIVE_SAMPLE) {
                        break;
                    }
                    String id = vm.path("id").asText();
                    String rg = ArmId.parse(id).resourceGroup();
                    String location = vm.path("location").asText();
                    String policyId = ArmOperation.GET_JIT_POLICY.path(sub.subscriptionId(), rg, location,
                            "default");
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

    private static Jitguard connect(ArmEmulator emulator, RunPhases phases) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(Settings.ARM_ENDPOINT, emulator.endpoint(),
                Settings.ARM_TOKEN, DemoCommand.demoToken()));
        String p = System.getenv(Settings.PARALLELISM);
        if (p != null) {
            env.put(Settings.PARALLELISM, p);
        }
        return Jitguard.builder(io.jitguard.runtime.JitguardConfig.parse(env)).phases(phases).build();
    }

    /**
     * Policies that need a change (a resource group + location with a VM missing from its policy, or listed without
     * every default baseline port) plus assignments with effect Disabled.
     */
    static long minimumWrites(Estate estate) {
        Set<String> covered = new HashSet<>();
        Set<String> cellsToWrite = new HashSet<>();
        long assignments = 0;
        for (ObjectNode r : estate.resources()) {
            String type = r.path("type").asText();
            if (type.equals(ArmEmulator.JIT_TYPE)) {
                r.path("properties").path("virtualMachines").forEach(v -> {
                    Set<Integer> ports = new HashSet<>();
                    v.path("ports").forEach(p -> ports.add(p.path("number").asInt()));
                    if (ports.containsAll(io.jitguard.baseline.Baseline.DEFAULT_PORTS)) {
                        covered.add(v.path("id").asText().toLowerCase(Locale.ROOT));
                    }
                });
            } else if (type.equals(ArmEmulator.ASSIGNMENT_TYPE) && "Disabled".equals(r.path("properties")
                    .path("parameters").path("jitNetworkAccessMonitoringEffect").path("value").asText())) {
                assignments++;
            }
        }
        for (ObjectNode r : estate.resources()) {
            if (r.path("type").asText().equals(ArmEmulator.VM_TYPE)
                    && !covered.contains(r.path("id").asText().toLowerCase(Locale.ROOT))) {
                // one policy per resource group + location
                String id = r.path("id").asText();
                cellsToWrite.add(group(id) + "|" + r.path("location").asText().toLowerCase(Locale.ROOT));
            }
        }
        return cellsToWrite.size() + assignments;
    }

    /** Non-compliant VMs: the first, one of another resource group, then another of the first one's group. */
    static List<String> nonCompliantVms(Estate estate, int count) {
        Set<String> covered = new HashSet<>();
        for (ObjectNode r : estate.resources()) {
            if (r.path("type").asText().equals(ArmEmulator.JIT_TYPE)) {
                r.path("properties").path("virtualMachines").forEach(v -> covered.add(v.path("id").asText().toLowerCase(Locale.ROOT)));
            }
        }
        List<String> candidates = new ArrayList<>();
        for (ObjectNode r : estate.resources()) {
            if (r.path("type").asText().equals(ArmEmulator.VM_TYPE)
                    && !covered.contains(r.path("id").asText().toLowerCase(Locale.ROOT))) {
                candidates.add(r.path("id").asText());
            }
        }
        List<String> found = new ArrayList<>();
        if (!candidates.isEmpty()) {
            String first = candidates.get(0);
            found.add(first);
            candidates.stream().filter(id -> !group(id).equals(group(first))).findFirst().ifPresent(found::add);
            candidates.stream().filter(id -> !id.equals(first) && group(id).equals(group(first))).findFirst()
                    .ifPresent(found::add);
        }
        if (found.size() < count) {
            throw new IllegalStateException("fewer than " + count + " suitable non-compliant VMs in the estate");
        }
        return found.subList(0, count);
    }

    private static String group(String vmId) {
        ArmId id = ArmId.parse(vmId);
        return ArmId.resourceGroup(id.subscription(), id.resourceGroup()).key();
    }

    static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time of the whole process (jitguard and the emulator's threads), 0 if unsupported. */
    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** Sum of the heap pools' peaks since the reset (an upper bound of the heap's peak). */
    static long peakHeap() {
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
