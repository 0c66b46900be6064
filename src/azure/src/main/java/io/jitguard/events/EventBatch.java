package io.jitguard.events;

import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.util.List;
import java.util.Optional;

/** The events of one delivery, each routed or ignored. */
public record EventBatch(List<RoutedEvent> events) {
    public EventBatch {
        events = List.copyOf(events);
    }

    /** Distinct scopes to reconcile, with those covered by another dropped (first-seen order). */
    public List<Scope> scopes() {
        return Scopes.collapse(events.stream().map(RoutedEvent::scope).flatMap(Optional::stream).toList());
    }

    public List<RoutedEvent> ignored() {
        return events.stream().filter(e -> e.ignoredReason().isPresent()).toList();
    }
}
