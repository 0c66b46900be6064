package io.jitguard.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One lock per policy id (case-insensitive) inside this process. */
public final class InProcessPolicyLocks implements PolicyLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public <T> T withLock(String policyId, Supplier<T> work) {
        return withLock(policyId, Optional.empty(), work);
    }

    @Override
    public <T> T withLock(String policyId, Optional<Duration> waitAtMost, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(policyId.toLowerCase(Locale.ROOT), k -> new ReentrantLock(true));
        if (waitAtMost.isEmpty()) {
            lock.lock();
        } else if (!tryLock(lock, waitAtMost.get(), policyId)) {
            throw new LockUnavailableException("another run in this process held the lock of " + policyId
                    + " longer than " + waitAtMost.get(), null);
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private static boolean tryLock(ReentrantLock lock, Duration wait, String policyId) {
        try {
            return lock.tryLock(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockUnavailableException("interrupted while waiting for the lock of " + policyId, e);
        }
    }
}
