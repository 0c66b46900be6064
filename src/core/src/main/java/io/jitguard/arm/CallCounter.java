package io.jitguard.arm;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The ARM calls an {@link Arm} implementation sent, in all and per thread, for {@link Arm#calls()},
 * {@link Arm#callsOnThisThread()} and {@link Arm#onBehalfOfThisThread}: work run on another thread on behalf of a
 * caller counts as the caller's.
 */
public final class CallCounter {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    /** Calls per thread: [reads, writes]; shared with the threads working on its behalf. */
    private final ThreadLocal<AtomicLongArray> threadCalls = ThreadLocal.withInitial(() -> new AtomicLongArray(2));

    public void read() {
        reads.incrementAndGet();
        threadCalls.get().incrementAndGet(0);
    }

    public void write() {
        writes.incrementAndGet();
        threadCalls.get().incrementAndGet(1);
    }

    public ArmCalls calls() {
        return new ArmCalls(reads.get(), writes.get());
    }

    public ArmCalls callsOnThisThread() {
        AtomicLongArray c = threadCalls.get();
        return new ArmCalls(c.get(0), c.get(1));
    }

    public <T> Supplier<T> onBehalfOfThisThread(Supplier<T> work) {
        AtomicLongArray caller = threadCalls.get();
        return () -> {
            AtomicLongArray own = threadCalls.get();
            threadCalls.set(caller);
            try {
                return work.get();
            } finally {
                threadCalls.set(own);
            }
        };
    }
}
