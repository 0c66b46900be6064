package io.jitguard.model;

/**
 * A map key that is one object instance: equal only to itself, hashed by identity. For memos keyed by records whose
 * own equality would compare (and hash) every rule or control they hold.
 */
public record SameInstance<T>(T instance) {
    @Override
    public boolean equals(Object o) {
        return o instanceof SameInstance<?> other && other.instance == instance;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(instance);
    }
}
