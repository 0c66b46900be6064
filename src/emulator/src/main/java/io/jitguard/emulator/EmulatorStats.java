package io.jitguard.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Request counts since start (or the last {@link #reset()}). {@link #reads()} counts served GET/HEAD requests and
 * Resource Graph queries, {@link #writes()} served PUT/PATCH/POST/DELETE requests (whatever their status); a request that got an injected
 * 429/500/503/reset counts only in {@link #faultsInjected()} (a {@code slow} fault is counted there <em>and</em> served).
 * {@link #byOperation()} keys are {@code "<METHOD> <resource type's last segment>"}, e.g. {@code "GET jitNetworkAccessPolicies"}.
 * {@code /_emulator/*} requests are not counted.
 */
public final class EmulatorStats {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();
    private final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();
    private final AtomicLong throttled = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder cpuNanos = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder busyNanos = new java.util.concurrent.atomic.LongAdder();
    /** {@code "<METHOD> <lower-cased path>"} -> when an answer carrying {@code Retry-After} to it went out (nanoTime). */
    private final Map<String, Long> askedToWait = new ConcurrentHashMap<>();
    private final AtomicLong shortestRetryWait = new AtomicLong(Long.MAX_VALUE);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** 429s sent by the ARM throttling buckets ({@code Estate.withArmThrottling}); injected 429 faults are not counted here. */
    public long throttled() {
        return throttled.get();
    }

    /** The most ARM requests the emulator was handling at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** CPU time the emulator's server threads spent handling ARM requests (ThreadMXBean; 0 if unsupported). */
    public long cpuNanos() {
        return cpuNanos.sum();
    }

    static long threadCpu() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
        } catch (UnsupportedOperationException e) {
            return 0;
        }
    }

    /**
     * One ARM request in flight. It lands when its answer starts to go out ({@link #land()}), not when the handler
     * returns: a client that waits for one answer before sending the next request is then never counted twice.
     */
    final class Flight {
        final long enteredAt = System.nanoTime();
        private boolean landed;

        void land() {
            if (!landed) {
                landed = true;
                busyNanos.add(System.nanoTime() - enteredAt);
                inFlight.decrementAndGet();
            }
        }
    }

    Flight enter() {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        return new Flight();
    }

    void exit(long cpu, Flight flight) {
        flight.land();
        if (cpu > 0) {
            cpuNanos.add(cpu);
        }
    }

    /**
     * The sum of every ARM request's time in the emulator, from its arrival until its answer starts to go out (latency
     * and {@code slow} faults included): a client that has its answer sees that request counted. Its growth over a
     * stretch of wall time divided by that time is the average number of requests in flight.
     */
    public long busyNanos() {
        return busyNanos.sum();
    }

    /**
     * The shortest wait the emulator saw a client keep after an answer carrying {@code Retry-After} (an injected 429 or
     * 503, or a throttling 429): from that answer going out until the next request with the same method and path
     * arrived, as a server would see it. Empty if no request followed such an answer (since the last {@link #reset()}).
     * Requests to the same path from other clients count too: give a test its own path or one client.
     */
    public java.util.Optional<java.time.Duration> shortestRetryWait() {
        long nanos = shortestRetryWait.get();
        return nanos == Long.MAX_VALUE ? java.util.Optional.empty() : java.util.Optional.of(java.time.Duration.ofNanos(nanos));
    }

    /** An answer with {@code Retry-After} is about to go out for {@code method path}. */
    void askedToWait(String method, String path) {
        askedToWait.put(retryKey(method, path), System.nanoTime());
    }

    /** A request for {@code method path} arrived at {@code arrivedAt} (nanoTime): a retry if that was asked to wait. */
    void arrived(String method, String path, long arrivedAt) {
        Long asked = askedToWait.remove(retryKey(method, path));
        if (asked != null) {
            shortestRetryWait.accumulateAndGet(arrivedAt - asked, Math::min);
        }
    }

    private static String retryKey(String method, String path) {
        return method.toUpperCase(java.util.Locale.ROOT) + " " + path.toLowerCase(java.util.Locale.ROOT);
    }

    void countThrottled() {
        throttled.incrementAndGet();
    }

    public long reads() {
        return reads.get();
    }

    /**
     * Waits until at least {@code count} reads have been served (as {@link #reads()} counts them) or {@code timeout}
     * has passed; true if they were. For a test that must go on once other clients (another JVM, say) are reading.
     */
    public synchronized boolean awaitReads(long count, java.time.Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (reads.get() < count) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    public long writes() {
        return writes.get();
    }

    public long faultsInjected() {
        return faults.get();
    }

    /** Snapshot, sorted by key. */
    public Map<String, Long> byOperation() {
        Map<String, Long> out = new TreeMap<>();
        byOperation.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long count(String operation) {
        AtomicLong v = byOperation.get(operation);
        return v == null ? 0 : v.get();
    }

    public synchronized void reset() {
        reads.set(0);
        writes.set(0);
        faults.set(0);
        throttled.set(0);
        maxInFlight.set(inFlight.get());
        cpuNanos.reset();
        busyNanos.reset();
        byOperation.clear();
        askedToWait.clear();
        shortestRetryWait.set(Long.MAX_VALUE);
    }

    /** Resource Graph's query is a POST that reads (its RBAC action is {@code resources/read}). */
    static final String RESOURCE_GRAPH = "resourceGraph";

    synchronized void served(String method, String operation) {
        if (method.equals("GET") || method.equals("HEAD") || readingPost(method, operation)) {
            reads.incrementAndGet();
        } else {
            writes.incrementAndGet();
        }
        byOperation.computeIfAbsent(method + " " + operation, k -> new AtomicLong()).incrementAndGet();
        notifyAll(); // awaitReads
    }

    /**
     * A POST that changes nothing (Resource Graph's query, {@code …/listNetworkManagerEffectiveSecurityAdminRules}) is
     * counted with the reads, so "writes" stays "changes to the estate"; the throttle still charges ARM's write bucket
     * for it.
     */
    static boolean readingPost(String method, String operation) {
        return method.equals("POST") && operation != null && (operation.equals(RESOURCE_GRAPH)
                || operation.toLowerCase(java.util.Locale.ROOT).endsWith("listnetworkmanagereffectivesecurityadminrules"));
    }

    void faulted() {
        faults.incrementAndGet();
    }

    public synchronized ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("reads", reads());
        o.put("writes", writes());
        o.put("faultsInjected", faultsInjected());
        o.put("throttled", throttled());
        o.put("maxInFlight", maxInFlight());
        o.put("cpuNanos", cpuNanos());
        ObjectNode ops = o.putObject("byOperation");
        byOperation().forEach(ops::put);
        return o;
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
