package io.jitguard.events;

import static io.jitguard.events.InvalidEventException.at;
import static io.jitguard.events.InvalidEventException.shorten;

import com.azure.core.models.CloudEvent;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An Event Grid delivery (Event Grid schema or CloudEvents 1.0, one event or an array) → one {@link EventEnvelope}
 * per event. Each event is checked with Jackson (field presence and types, so the error names the event and the
 * field) and parsed with azure-messaging-eventgrid / azure-core ({@link EventGridEvent#fromString},
 * {@link CloudEvent#fromString}). Malformed input fails the whole delivery with {@link InvalidEventException}.
 */
final class EventEnvelopes {
    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_DEPTH = 32;
    static final int MAX_EVENTS = 5000;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_BYTES)
                            .maxNumberLength(100)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private EventEnvelopes() {
    }

    /**
     * The events of a delivery, in order. The body is checked at once; each event is checked as the stream reaches
     * it, so a caller that handles one event before taking the next fails on the first bad event in order.
     */
    static Stream<EventEnvelope> parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty request body");
        }
        if (json.length() > MAX_BYTES || json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidEventException("request body is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new InvalidEventException("malformed JSON: " + firstLine(e.getMessage()));
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(items::add);
            if (items.isEmpty()) {
                throw new InvalidEventException("the event array is empty");
            }
            if (items.size() > MAX_EVENTS) {
                throw new InvalidEventException("more than " + MAX_EVENTS + " events in one delivery");
            }
        } else if (root.isObject()) {
            items.add(root);
        } else {
            throw new InvalidEventException("expected an event object or an array of events");
        }
        return IntStream.range(0, items.size()).mapToObj(i -> envelope(i, items.get(i)));
    }

    private static EventEnvelope envelope(int i, JsonNode node) {
        if (!node.isObject()) {
            throw at(i, "is not a JSON object");
        }
        Header header = node.has("specversion") ? cloudEvent(i, node) : eventGridEvent(i, node);
        JsonNode data = header.data;
        String operation = optionalText(i, data, "data.", "operationName");
        String resourceUri = optionalText(i, data, "data.", "resourceUri");
        String subscription = optionalText(i, data, "data.", "subscriptionId");
        optionalText(i, data, "data.", "status");
        optionalText(i, data, "data.", "tenantId");
        optionalText(i, data, "data.", "correlationId");
        JsonNode claims = data.path("claims");
        if (!claims.isMissingNode() && !claims.isNull() && !claims.isObject()) {
            throw at(i, "field data.claims must be an object");
        }
        return new EventEnvelope(i, header.id, header.type, header.subject, operation, resourceUri, subscription,
                Claims.of(claims), header.time);
    }

    /** What the two schemas have in common, before {@code data} is read. */
    private record Header(String id, String type, String subject, JsonNode data, java.time.Instant time) {
    }

    private static Header eventGridEvent(int i, JsonNode node) {
        String id = requiredText(i, node, "id");
        String type = requiredText(i, node, "eventType");
        String subject = requiredText(i, node, "subject");
        requiredText(i, node, "dataVersion");
        String time = requiredText(i, node, "eventTime");
        optionalText(i, node, "", "topic");
        optionalText(i, node, "", "metadataVersion");
        java.time.Instant at = timestamp(i, "eventTime", time);
        JsonNode data = dataObject(i, node.get("data"), "data");
        EventGridEvent parsed = one(i, () -> EventGridEvent.fromString(node.toString()), "Event Grid event",
                "an Event Grid event");
        return new Header(parsed.getId(), parsed.getEventType(), parsed.getSubject(), data, at);
    }

    private static Header cloudEvent(int i, JsonNode node) {
        String version = requiredText(i, node, "specversion");
        if (!"1.0".equals(version)) {
            throw at(i, "field specversion must be \"1.0\", was " + shorten(version));
        }
        String id = requiredText(i, node, "id");
        String type = requiredText(i, node, "type");
        requiredText(i, node, "source");
        String subject = optionalText(i, node, "", "subject");
        String time = optionalText(i, node, "", "time");
        java.time.Instant at = time == null ? null : timestamp(i, "time", time);
        if (node.has("data_base64")) {
            throw at(i, "field data_base64 is not supported: the system topic delivers JSON data");
        }
        JsonNode data = dataObject(i, node.get("data"), "data");
        CloudEvent parsed = one(i, () -> CloudEvent.fromString(node.toString()), "CloudEvent", "a CloudEvent 1.0");
        return new Header(parsed.getId(), parsed.getType(), parsed.getSubject() != null ? parsed.getSubject() : subject,
                data, at);
    }

    /** The one event the SDK parses from an event already checked field by field. */
    private static <T> T one(int i, Supplier<List<T>> sdkParse, String kind, String aKind) {
        List<T> list;
        try {
            list = sdkParse.get();
        } catch (RuntimeException e) {
            throw at(i, "is not " + aKind + ": " + firstLine(e.getMessage()));
        }
        if (list.size() != 1) {
            throw at(i, "is not one " + kind);
        }
        return list.get(0);
    }

    /** data must be an object; a string holding a JSON object is accepted too (some senders stringify it). */
    private static JsonNode dataObject(int i, JsonNode data, String field) {
        if (data == null || data.isNull()) {
            throw at(i, "field " + field + " is missing");
        }
        if (data.isTextual()) {
            try {
                data = JSON.readTree(data.asText());
            } catch (Exception e) {
                throw at(i, "field " + field + " is a string that is not a JSON object");
            }
        }
        if (!data.isObject()) {
            throw at(i, "field " + field + " must be an object");
        }
        return data;
    }

    private static String requiredText(int i, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw at(i, "field " + field + " is missing");
        }
        if (!v.isTextual()) {
            throw at(i, "field " + field + " must be a string");
        }
        if (v.asText().isBlank()) {
            throw at(i, "field " + field + " is empty");
        }
        return v.asText();
    }

    private static String optionalText(int i, JsonNode node, String prefix, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw at(i, "field " + prefix + field + " must be a string");
        }
        return v.asText();
    }

    private static java.time.Instant timestamp(int i, String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw at(i, "field " + field + " is not an RFC 3339 timestamp");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        return shorten(s.split("\\R", 2)[0]);
    }
}
