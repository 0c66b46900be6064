package io.jitguard.events;

import io.jitguard.scope.Scope;
import java.util.Optional;

/**
 * One event of a batch and what became of it: a scope to reconcile, or the reason it is ignored.
 *
 * @param index         position in the delivered batch (0 for a single event)
 * @param actor         who made the change: claim {@code name}, else the UPN claim, else {@code appid}; null if none
 * @param actorObjectId the {@code objectidentifier} claim, or null
 */
public record RoutedEvent(int index, String eventId, String eventType, String operationName, String subject,
                          String actor, String actorObjectId, Optional<Scope> scope, Optional<String> ignoredReason) {
    public boolean routed() {
        return scope.isPresent();
    }
}
