package io.jitguard.events;

import com.azure.core.models.CloudEvent;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import io.jitguard.scope.VmScope;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an Event Grid delivery from the Azure subscription system topic (Event Grid schema or CloudEvents 1.0, one
 * event or an array) into scopes. Each event is checked with Jackson (field presence and types, so the error names
 * the event and the field) and parsed with azure-messaging-eventgrid / azure-core ({@link EventGridEvent#fromString},
 * {@link CloudEvent#fromString}).
 *
 * <p>Routed: {@code Microsoft.Resources.ResourceWriteSuccess}/{@code ResourceDeleteSuccess} whose
 * {@code data.operationName} is one of {@link RoutedOperations#ALL}. Everything else that is well formed is ignored
 * with a reason. Malformed input fails the whole batch with {@link InvalidEventException}.
 */
public final class EventRouter {
    public static final int MAX_BYTES = 1024 * 1024;
    public static final int MAX_DEPTH = 32;
    public static final int MAX_EVENTS = 5000;

    static final String CLAIM_UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    static final String CLAIM_OID = "http://schemas.microsoft.com/identity/claims/objectidentifier";

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

    private EventRouter() {
    }

    public static EventBatch parse(String json) {
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
        List<RoutedEvent> events = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            events.add(event(i, items.get(i)));
        }
        return new EventBatch(events);
    }

    private static RoutedEvent event(int i, JsonNode node) {
        if (!node.isObject()) {
            throw invalid(i, "is not a JSON object");
        }
        Envelope envelope = node.has("specversion") ? cloudEvent(i, node) : eventGridEvent(i, node);
        JsonNode data = envelope.data;
        String operation = optionalText(i, data, "data.", "operationName");
        String resourceUri = optionalText(i, data, "data.", "resourceUri");
        String dataSubscription = optionalText(i, data, "data.", "subscriptionId");
        optionalText(i, data, "data.", "status");
        optionalText(i, data, "data.", "tenantId");
        optionalText(i, data, "data.", "correlationId");
        JsonNode claims = data.path("claims");
        if (!claims.isMissingNode() && !claims.isNull() && !claims.isObject()) {
            throw invalid(i, "field data.claims must be an object");
        }
        String actor = firstClaim(claims, "name", CLAIM_UPN, "appid");
        String oid = firstClaim(claims, CLAIM_OID, "oid");

        Routed routed;
        if (RoutedOperations.EVENT_TYPES.stream().noneMatch(t -> t.equalsIgnoreCase(envelope.type))) {
            routed = Routed.ignore("event type " + envelope.type + " is not routed");
        } else if (operation == null) {
            throw invalid(i, "field data.operationName is missing");
        } else {
            Route route = ROUTES.get(operation.toLowerCase(Locale.ROOT));
            if (route == null) {
                routed = Routed.ignore("operation " + operation + " is not routed");
            } else {
                String uri = resourceUri != null ? resourceUri : envelope.subject;
                if (uri == null) {
                    throw invalid(i, "field data.resourceUri is missing");
                }
                String field = resourceUri != null ? "data.resourceUri" : "subject";
                routed = route.route(i, field, uri);
                if (routed.scope().isPresent() && dataSubscription != null
                        && !dataSubscription.equalsIgnoreCase(routed.scope().get().subscriptionId())) {
                    throw invalid(i, "data.subscriptionId " + shorten(dataSubscription) + " does not match " + field);
                }
            }
        }
        return new RoutedEvent(i, envelope.id, envelope.type, operation, envelope.subject, actor, oid, routed.scope(),
                routed.ignored());
    }

    /** What a route made of one event: a scope, or why it is ignored. */
    private record Routed(Optional<Scope> scope, Optional<String> ignored) {
        static Routed to(Scope scope) {
            return new Routed(Optional.of(scope), Optional.empty());
        }

        static Routed ignore(String reason) {
            return new Routed(Optional.empty(), Optional.of(reason));
        }
    }

    /** One routed operation: resource id (from {@code field}) → scope; throws {@link InvalidEventException}. */
    @FunctionalInterface
    private interface Route {
        Routed route(int i, String field, String uri);
    }

    /**
     * The route table, keyed by lower-cased {@code data.operationName}. Every operation of
     * {@link RoutedOperations#ALL} has exactly one entry (EventRouterTest checks it); any other operation is ignored.
     * To route a new operation: a constant in {@link RoutedOperations} (infra filters on that list) and a line here.
     */
    private static final Map<String, Route> ROUTES = routes();

    private static Map<String, Route> routes() {
        Map<String, Route> r = new LinkedHashMap<>();
        r.put(RoutedOperations.VM_WRITE, EventRouter::vm);
        r.put(RoutedOperations.VM_DELETE, EventRouter::deletedVm);
        r.put(RoutedOperations.JIT_POLICY_WRITE, EventRouter::jitPolicy);
        r.put(RoutedOperations.JIT_POLICY_DELETE, EventRouter::jitPolicy);
        r.put(RoutedOperations.ASSIGNMENT_WRITE, EventRouter::assignment);
        r.put(RoutedOperations.ASSIGNMENT_DELETE, EventRouter::assignment);
        Map<String, Route> byKey = new LinkedHashMap<>();
        r.forEach((op, route) -> byKey.put(op.toLowerCase(Locale.ROOT), route));
        return Map.copyOf(byKey);
    }

    /** The lower-cased operations the route table holds. */
    static java.util.Set<String> routedOperations() {
        return ROUTES.keySet();
    }

    private static Routed vm(int i, String field, String uri) {
        return Routed.to(expect(i, field, uri, VmScope.class, "a virtual machine"));
    }

    /** A deleted VM's entry lives in a policy of its resource group (the event carries no location). */
    private static Routed deletedVm(int i, String field, String uri) {
        VmScope vm = expect(i, field, uri, VmScope.class, "a virtual machine");
        return Routed.to(new ResourceGroupScope(vm.subscriptionId(), vm.resourceGroup()));
    }

    private static Routed jitPolicy(int i, String field, String uri) {
        ResourceGroupScope rg = expect(i, field, uri, ResourceGroupScope.class, "a JIT network access policy");
        if (rg.location().isEmpty() || !uri.toLowerCase(Locale.ROOT).contains("/jitnetworkaccesspolicies/")) {
            throw invalid(i, field + " is not a JIT network access policy: " + shorten(uri));
        }
        return Routed.to(rg);
    }

    private static Routed assignment(int i, String field, String uri) {
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        if (!name.equalsIgnoreCase(MonitoringScope.ASSIGNMENT_NAME)) {
            return Routed.ignore("policy assignment " + shorten(name) + " is not " + MonitoringScope.ASSIGNMENT_NAME);
        }
        if (!isSubscriptionAssignment(uri)) {
            return Routed.ignore("policy assignment " + MonitoringScope.ASSIGNMENT_NAME + " is not at a subscription");
        }
        return Routed.to(expect(i, field, uri, MonitoringScope.class, "a subscription's policy assignment"));
    }

    private record Envelope(String id, String type, String subject, JsonNode data) {
    }

    private static Envelope eventGridEvent(int i, JsonNode node) {
        String id = requiredText(i, node, "id");
        String type = requiredText(i, node, "eventType");
        String subject = requiredText(i, node, "subject");
        requiredText(i, node, "dataVersion");
        String time = requiredText(i, node, "eventTime");
        optionalText(i, node, "", "topic");
        optionalText(i, node, "", "metadataVersion");
        timestamp(i, "eventTime", time);
        JsonNode data = dataObject(i, node.get("data"), "data");
        EventGridEvent parsed;
        try {
            List<EventGridEvent> list = EventGridEvent.fromString(node.toString());
            if (list.size() != 1) {
                throw invalid(i, "is not one Event Grid event");
            }
            parsed = list.get(0);
        } catch (InvalidEventException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid(i, "is not an Event Grid event: " + firstLine(e.getMessage()));
        }
        return new Envelope(parsed.getId(), parsed.getEventType(), parsed.getSubject(), data);
    }

    private static Envelope cloudEvent(int i, JsonNode node) {
        String version = requiredText(i, node, "specversion");
        if (!"1.0".equals(version)) {
            throw invalid(i, "field specversion must be \"1.0\", was " + shorten(version));
        }
        String id = requiredText(i, node, "id");
        String type = requiredText(i, node, "type");
        requiredText(i, node, "source");
        String subject = optionalText(i, node, "", "subject");
        String time = optionalText(i, node, "", "time");
        if (time != null) {
            timestamp(i, "time", time);
        }
        if (node.has("data_base64")) {
            throw invalid(i, "field data_base64 is not supported: the system topic delivers JSON data");
        }
        JsonNode data = dataObject(i, node.get("data"), "data");
        CloudEvent parsed;
        try {
            List<CloudEvent> list = CloudEvent.fromString(node.toString());
            if (list.size() != 1) {
                throw invalid(i, "is not one CloudEvent");
            }
            parsed = list.get(0);
        } catch (InvalidEventException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid(i, "is not a CloudEvent 1.0: " + firstLine(e.getMessage()));
        }
        return new Envelope(parsed.getId(), parsed.getType(), parsed.getSubject() != null ? parsed.getSubject() : subject,
                data);
    }

    /** data must be an object; a string holding a JSON object is accepted too (some senders stringify it). */
    private static JsonNode dataObject(int i, JsonNode data, String field) {
        if (data == null || data.isNull()) {
            throw invalid(i, "field " + field + " is missing");
        }
        if (data.isTextual()) {
            try {
                data = JSON.readTree(data.asText());
            } catch (Exception e) {
                throw invalid(i, "field " + field + " is a string that is not a JSON object");
            }
        }
        if (!data.isObject()) {
            throw invalid(i, "field " + field + " must be an object");
        }
        return data;
    }

    private static <T extends Scope> T expect(int i, String field, String uri, Class<T> type, String what) {
        Scope scope;
        try {
            scope = Scopes.parse(uri);
        } catch (InvalidScopeException e) {
            throw invalid(i, field + ": " + e.getMessage());
        }
        if (!type.isInstance(scope)) {
            throw invalid(i, field + " is not " + what + ": " + shorten(uri));
        }
        return type.cast(scope);
    }

    private static boolean isSubscriptionAssignment(String uri) {
        String[] s = uri.split("/", -1);
        return s.length == 7 && s[0].isEmpty() && s[1].equalsIgnoreCase("subscriptions")
                && s[3].equalsIgnoreCase("providers") && s[4].equalsIgnoreCase("Microsoft.Authorization")
                && s[5].equalsIgnoreCase("policyAssignments");
    }

    private static String firstClaim(JsonNode claims, String... names) {
        for (String name : names) {
            JsonNode v = claims.path(name);
            if (v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    private static String requiredText(int i, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw invalid(i, "field " + field + " is missing");
        }
        if (!v.isTextual()) {
            throw invalid(i, "field " + field + " must be a string");
        }
        if (v.asText().isBlank()) {
            throw invalid(i, "field " + field + " is empty");
        }
        return v.asText();
    }

    private static String optionalText(int i, JsonNode node, String prefix, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(i, "field " + prefix + field + " must be a string");
        }
        return v.asText();
    }

    private static void timestamp(int i, String field, String value) {
        try {
            OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(i, "field " + field + " is not an RFC 3339 timestamp");
        }
    }

    private static InvalidEventException invalid(int i, String reason) {
        return new InvalidEventException("event " + i + ": " + reason);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String line = s.split("\\R", 2)[0];
        return shorten(line);
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
