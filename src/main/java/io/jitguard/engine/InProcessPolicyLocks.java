package io.jitguard.engine;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One lock per policy id (case-insensitive) inside this process. */
public final class InProcessPolicyLocks implements PolicyLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public <T> T withLock(String policyId, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(policyId.toLowerCase(Locale.ROOT), k -> new ReentrantLock(true));
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
