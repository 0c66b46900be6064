package io.jitguard.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Request counts since start (or the last {@link #reset()}). {@link #reads()} counts served GET/HEAD requests,
 * {@link #writes()} served PUT/PATCH/POST/DELETE requests (whatever their status); a request that got an injected
 * 429/500/503/reset counts only in {@link #faultsInjected()} (a {@code slow} fault is counted there <em>and</em> served).
 * {@link #byOperation()} keys are {@code "<METHOD> <resource type's last segment>"}, e.g. {@code "GET jitNetworkAccessPolicies"}.
 * {@code /_emulator/*} requests are not counted.
 */
public final class EmulatorStats {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong maxInFlight = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();

    public long reads() {
        return reads.get();
    }

    public long writes() {
        return writes.get();
    }

    public long faultsInjected() {
        return faults.get();
    }

    /** Requests answered 429 by ARM's token buckets ({@link Estate#withArmThrottling}); not in reads/writes. */
    public long throttled() {
        return throttled.get();
    }

    /** The most ARM requests the emulator was handling at once. */
    public long maxInFlight() {
        return maxInFlight.get();
    }

    /** CPU time the emulator's request threads spent handling ARM requests (latency sleeps cost none). */
    public long cpuNanos() {
        return cpuNanos.get();
    }

    void began() {
        long now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void ended(long cpu) {
        inFlight.decrementAndGet();
        cpuNanos.addAndGet(cpu);
    }

    void throttledOnce() {
        throttled.incrementAndGet();
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
        cpuNanos.set(0);
        byOperation.clear();
    }

    synchronized void served(String method, String operation) {
        if (method.equals("GET") || method.equals("HEAD")) {
            reads.incrementAndGet();
        } else {
            writes.incrementAndGet();
        }
        byOperation.computeIfAbsent(method + " " + operation, k -> new AtomicLong()).incrementAndGet();
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
