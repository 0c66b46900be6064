package io.jitguard.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Mutual exclusion for the read-modify-write of one JIT policy: a PUT replaces the whole policy and ARM has no ETag
 * for it, so two writers of one policy must take turns or one loses the other's additions.
 */
public interface PolicyLocks {
    <T> T withLock(String policyId, Supplier<T> work);

    /**
     * As {@link #withLock(String, Supplier)}, but gives up with {@link LockUnavailableException} after waiting
     * {@code waitAtMost} (when present) — a run with a deadline must not sit behind another writer past it.
     * Implementations that cannot bound the wait ignore it.
     */
    default <T> T withLock(String policyId, Optional<Duration> waitAtMost, Supplier<T> work) {
        return withLock(policyId, work);
    }
}
