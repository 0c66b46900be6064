package io.jitguard.events;

import io.jitguard.model.ArmId;
import static io.jitguard.events.InvalidEventException.at;
import static io.jitguard.events.InvalidEventException.shorten;

import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import io.jitguard.scope.VmScope;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The route table: {@code Microsoft.Resources.ResourceWriteSuccess}/{@code ResourceDeleteSuccess} events whose
 * {@code data.operationName} is one of {@link RoutedOperations#ALL} → a scope. Everything else that is well formed is
 * ignored with a reason; a routed event whose resource id does not fit its operation is an
 * {@link InvalidEventException}.
 */
final class EventRoutes {
    private EventRoutes() {
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
        r.put(RoutedOperations.VM_WRITE, EventRoutes::vm);
        r.put(RoutedOperations.VM_DELETE, EventRoutes::deletedVm);
        r.put(RoutedOperations.JIT_POLICY_WRITE, EventRoutes::jitPolicy);
        r.put(RoutedOperations.JIT_POLICY_DELETE, EventRoutes::jitPolicy);
        r.put(RoutedOperations.ASSIGNMENT_WRITE, EventRoutes::assignment);
        r.put(RoutedOperations.ASSIGNMENT_DELETE, EventRoutes::assignment);
        r.put(RoutedOperations.TAGS_WRITE, EventRoutes::tags);
        r.put(RoutedOperations.TAGS_DELETE, EventRoutes::tags);
        Map<String, Route> byKey = new LinkedHashMap<>();
        r.forEach((op, route) -> byKey.put(op.toLowerCase(Locale.ROOT), route));
        return Map.copyOf(byKey);
    }

    /** The lower-cased operations the route table holds. */
    static Set<String> operations() {
        return ROUTES.keySet();
    }

    /** The event routed to a scope or ignored with a reason. */
    static RoutedEvent route(EventEnvelope e) {
        int i = e.index();
        String operation = e.operationName();
        Routed routed;
        if (RoutedOperations.EVENT_TYPES.stream().noneMatch(t -> t.equalsIgnoreCase(e.type()))) {
            routed = Routed.ignore("event type " + e.type() + " is not routed");
        } else if (operation == null) {
            throw at(i, "field data.operationName is missing");
        } else {
            Route route = ROUTES.get(operation.toLowerCase(Locale.ROOT));
            if (route == null) {
                routed = Routed.ignore("operation " + operation + " is not routed");
            } else {
                String uri = e.resourceUri() != null ? e.resourceUri() : e.subject();
                if (uri == null) {
                    throw at(i, "field data.resourceUri is missing");
                }
                String field = e.resourceUri() != null ? "data.resourceUri" : "subject";
                routed = route.route(i, field, uri);
                String subscription = e.subscriptionId();
                if (routed.scope().isPresent() && subscription != null
                        && !subscription.equalsIgnoreCase(routed.scope().get().subscriptionId())) {
                    throw at(i, "data.subscriptionId " + shorten(subscription) + " does not match " + field);
                }
            }
        }
        return new RoutedEvent(i, e.id(), e.type(), operation, e.subject(), e.claims(), routed.scope(),
                routed.ignored(), e.time());
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
            throw at(i, field + " is not a JIT network access policy: " + shorten(uri));
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

    /**
     * The tags of a VM or a resource group ({@code <id>/providers/Microsoft.Resources/tags/default}) → that VM or
     * group; the tags of anything else (a subscription, a NIC, ...) are not an exclusion jitguard reads: ignored.
     */
    private static Routed tags(int i, String field, String uri) {
        ArmId tags = ArmId.tryParse(uri.replaceAll("/+$", "")).orElse(null);
        if (tags == null || !tags.isType("Microsoft.Resources/tags") || tags.parent().isEmpty()) {
            throw at(i, field + " is not a tags resource (<resource id>/providers/Microsoft.Resources/tags/default): "
                    + shorten(uri));
        }
        ArmId owner = tags.parent().get();
        if (owner.isType("Microsoft.Compute/virtualMachines")) {
            return Routed.to(new VmScope(owner.subscription(), owner.resourceGroup(), owner.name()));
        }
        if (owner.isType("Microsoft.Resources/resourceGroups")) {
            return Routed.to(new ResourceGroupScope(owner.subscription(), owner.resourceGroup()));
        }
        return Routed.ignore("tags of " + shorten(owner.toString()) + " are not a VM's or a resource group's");
    }


    private static <T extends Scope> T expect(int i, String field, String uri, Class<T> type, String what) {
        Scope scope;
        try {
            scope = Scopes.parse(uri);
        } catch (InvalidScopeException e) {
            throw at(i, field + ": " + e.getMessage());
        }
        if (!type.isInstance(scope)) {
            throw at(i, field + " is not " + what + ": " + shorten(uri));
        }
        return type.cast(scope);
    }

    private static boolean isSubscriptionAssignment(String uri) {
        return ArmId.tryParse(uri).filter(id -> id.resourceGroup() == null)
                .filter(id -> id.isType("Microsoft.Authorization/policyAssignments")).isPresent();
    }
}
