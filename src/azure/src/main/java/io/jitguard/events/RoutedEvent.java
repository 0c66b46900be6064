package io.jitguard.events;

import io.jitguard.scope.Scope;
import java.util.Optional;

/**
 * One event of a batch and what became of it: a scope to reconcile, or the reason it is ignored.
 *
 * @param index  position in the delivered batch (0 for a single event)
 * @param claims who made the change ({@code data.claims}; none when absent)
 * @param time   when the ARM operation that raised the event happened ({@code eventTime} / {@code time}); null when a
 *               CloudEvent leaves it out
 */
public record RoutedEvent(int index, String eventId, String eventType, String operationName, String subject,
                          Claims claims, Optional<Scope> scope, Optional<String> ignoredReason,
                          java.time.Instant time) {
    public boolean routed() {
        return scope.isPresent();
    }

    /** Who made the change: the name claim, else the UPN, else the application id; null if none. */
    public String actor() {
        return claims.actor();
    }

    /** The object id claim (long or short form), or null. */
    public String actorObjectId() {
        return claims.objectId().orElse(null);
    }
}
