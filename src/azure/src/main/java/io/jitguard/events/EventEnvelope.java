package io.jitguard.events;

/**
 * One well-formed event of a delivery, whatever its schema (Event Grid or CloudEvents 1.0): what routing needs.
 *
 * @param index          position in the delivery (0 for a single event)
 * @param subject        the event's subject, or null (CloudEvents may omit it)
 * @param operationName  {@code data.operationName}, or null
 * @param resourceUri    {@code data.resourceUri}, or null
 * @param subscriptionId {@code data.subscriptionId}, or null
 * @param claims         {@code data.claims} (none when absent)
 * @param time           {@code eventTime} (Event Grid) or {@code time} (CloudEvents): when the ARM operation happened;
 *                       null when a CloudEvent leaves it out
 */
record EventEnvelope(int index, String id, String type, String subject, String operationName, String resourceUri,
                     String subscriptionId, Claims claims, java.time.Instant time) {
}
