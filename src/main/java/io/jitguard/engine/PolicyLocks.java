package io.jitguard.engine;

import java.util.function.Supplier;

/**
 * Mutual exclusion for the read-modify-write of one JIT policy: a PUT replaces the whole policy and ARM has no ETag
 * for it, so two writers of one policy must take turns or one loses the other's additions.
 */
public interface PolicyLocks {
    <T> T withLock(String policyId, Supplier<T> work);
}
