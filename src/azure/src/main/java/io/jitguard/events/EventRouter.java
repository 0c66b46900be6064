package io.jitguard.events;

import java.util.Set;

/**
 * Turns an Event Grid delivery from the Azure subscription system topic (Event Grid schema or CloudEvents 1.0, one
 * event or an array) into scopes: {@link EventEnvelopes} reads and checks each event into a neutral
 * {@link EventEnvelope}, {@link EventRoutes} maps its operation to a scope or an ignore reason. Malformed input fails
 * the whole batch with {@link InvalidEventException}, naming the first bad event in order.
 */
public final class EventRouter {
    public static final int MAX_BYTES = EventEnvelopes.MAX_BYTES;
    public static final int MAX_DEPTH = EventEnvelopes.MAX_DEPTH;
    public static final int MAX_EVENTS = EventEnvelopes.MAX_EVENTS;

    private EventRouter() {
    }

    public static EventBatch parse(String json) {
        // Sequential: each event is read and routed before the next is read.
        return new EventBatch(EventEnvelopes.parse(json).map(EventRoutes::route).toList());
    }

    /** The lower-cased operations the route table holds. */
    static Set<String> routedOperations() {
        return EventRoutes.operations();
    }
}
