package io.jitguard.emulator;

import static io.jitguard.emulator.ArmHttp.NODES;
import static io.jitguard.emulator.ArmHttp.invalidType;
import static io.jitguard.emulator.ArmHttp.lc;
import static io.jitguard.emulator.ArmHttp.methodNotAllowed;
import static io.jitguard.emulator.ArmHttp.noRoute;
import static io.jitguard.emulator.ArmHttp.ok;
import static io.jitguard.emulator.ArmHttp.requireRead;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jitguard.emulator.ArmHttp.ArmError;
import io.jitguard.emulator.ArmHttp.Req;
import io.jitguard.emulator.ArmHttp.Resp;

/**
 * The emulator's one route table: {@code /subscriptions[/{sub}[/resourceGroups[/{rg}]]]} and, below a subscription or
 * resource group scope, {@code /providers/{namespace}/{type}[/{name}[/{type}[/{name}]]]} dispatched by the
 * lower-cased {@code namespace/type[/type]} key to one handler. Paths are matched case-insensitively on
 * percent-decoded segments.
 */
final class Routes {
    /** What a provider route handler sees. */
    record Call(Req r, String subId, String rg, String scope, String ns, List<String> rest, boolean collection,
            String typeKey) {
        /** The {@code k}-th segment after the namespace (0 = first type, 1 = its name, …). */
        String seg(int k) {
            return rest.get(k);
        }
    }

    @FunctionalInterface
    interface Handler {
        Resp handle(Call c);
    }

    private final ResourceStore store;
    private final EventJournal journal;
    private final JitPolicyValidator jitValidator;
    private final int pageSize;
    private final String tenantId;
    private final Map<String, Handler> table = new LinkedHashMap<>();
    private final ResourceGraph resourceGraph;
    /** POST actions on a type the table serves; not types of their own, so not in {@link #types()}. */
    private final Map<String, Handler> actions = new LinkedHashMap<>();
    private final java.time.Clock clock;
    private final JitRequestExpiry expiry;

    Routes(ResourceStore store, EventJournal journal, int pageSize, String tenantId, java.time.Clock clock) {
        this.tenantId = tenantId;
        this.clock = clock;
        this.expiry = new JitRequestExpiry(store);
        this.store = store;
        this.journal = journal;
        this.jitValidator = new JitPolicyValidator(store);
        this.resourceGraph = new ResourceGraph(store);
        this.pageSize = pageSize;
        for (String type : List.of("Microsoft.ClassicCompute/virtualMachines", "Microsoft.Network/networkInterfaces",
                "Microsoft.Network/virtualNetworks", "Microsoft.Network/azureFirewalls")) {
            table.put(lc(type), c -> generic(c, type));
        }
        table.put(lc(ArmEmulator.VM_TYPE), this::virtualMachines);
        table.put("microsoft.network/networksecuritygroups", this::networkSecurityGroups);
        table.put("microsoft.authorization/policyexemptions", this::exemptions);
        table.put("microsoft.network/virtualnetworks/subnets", this::subnets);
        table.put("microsoft.network/virtualnetworks/listnetworkmanagereffectivesecurityadminrules",
                this::effectiveAdminRules);
        table.put("microsoft.security/pricings", this::pricings);
        table.put("microsoft.security/jitnetworkaccesspolicies", this::jitList);
        table.put("microsoft.security/locations/jitnetworkaccesspolicies", this::jitPolicy);
        table.put("microsoft.authorization/policyassignments", this::assignments);
        actions.put("microsoft.security/locations/jitnetworkaccesspolicies/initiate", this::initiate);
    }

    /** The lower-cased {@code namespace/type[/type]} keys served: below a subscription or resource group, and Resource Graph. */
    java.util.Set<String> types() {
        java.util.Set<String> types = new java.util.HashSet<>(table.keySet());
        types.add("microsoft.resourcegraph/resources");
        return java.util.Set.copyOf(types);
    }

    Resp route(Req r) {
        expiry.closeEnded(clock.instant());
        List<String> s = r.segs;
        List<String> l = r.lower;
        if (String.join("/", l).equals(ResourceGraph.PATH)) {
            return resourceGraph.query(r);
        }
        if (l.isEmpty() || !l.get(0).equals("subscriptions")) {
            throw noRoute(r);
        }
        if (s.size() == 1) {
            requireRead(r);
            return ok(page(store.subscriptions(), r));
        }
        ObjectNode sub = store.subscription(s.get(1));
        String subId = sub.get("subscriptionId").asText();
        if (s.size() == 2) {
            requireRead(r);
            return ok(sub);
        }
        int i = 2;
        String rg = null;
        if (l.get(2).equals("resourcegroups")) {
            if (s.size() == 3) {
                requireRead(r);
                return ok(page(store.resourceGroups(subId), r));
            }
            ObjectNode group = store.resourceGroup(subId, s.get(3));
            rg = group.get("name").asText();
            if (s.size() == 4) {
                if (r.method.equals("HEAD")) {
                    return new Resp(204, null);
                }
                requireRead(r);
                return ok(group);
            }
            i = 4;
        }
        if (!l.get(i).equals("providers") || s.size() < i + 3) {
            throw noRoute(r);
        }
        String ns = s.get(i + 1);
        List<String> rest = s.subList(i + 2, s.size());
        StringBuilder key = new StringBuilder(lc(ns));
        for (int k = 0; k < rest.size(); k += 2) {
            key.append('/').append(lc(rest.get(k)));
        }
        String typeKey = key.toString();
        Handler h = table.getOrDefault(typeKey, actions.get(typeKey));
        if (h == null) {
            throw invalidType(r, ns, typeKey);
        }
        if (!store.registered(subId, ns)) {
            throw DefenderPlans.missingRegistration(ns.equalsIgnoreCase("Microsoft.Security") ? "Microsoft.Security" : ns);
        }
        String scope = "/subscriptions/" + subId + (rg == null ? "" : "/resourceGroups/" + rg);
        return h.handle(new Call(r, subId, rg, scope, ns, rest, rest.size() % 2 == 1, typeKey));
    }

    // ---------------------------------------------------------------- handlers

    private Resp generic(Call c, String type) {
        requireRead(c.r());
        if (c.collection()) {
            return ok(page(store.list(type, c.scope(), null), c.r()));
        }
        if (c.rg() == null) {
            throw invalidType(c.r(), c.ns(), c.typeKey());
        }
        return ok(store.get(c.scope() + "/providers/" + type + "/" + c.seg(1), c.rg()));
    }

    private Resp subnets(Call c) {
        requireRead(c.r());
        if (c.rg() == null) {
            throw invalidType(c.r(), c.ns(), c.typeKey());
        }
        ObjectNode vnet = store.get(c.scope() + "/providers/Microsoft.Network/virtualNetworks/" + c.seg(1), c.rg());
        List<ObjectNode> subnets = new ArrayList<>();
        vnet.path("properties").path("subnets").forEach(n -> {
            if (n.isObject()) {
                ObjectNode copy = ((ObjectNode) n).deepCopy();
                if (!copy.has("type")) {
                    copy.put("type", "Microsoft.Network/virtualNetworks/subnets");
                }
                subnets.add(copy);
            }
        });
        if (c.collection()) {
            return ok(page(subnets, c.r()));
        }
        for (ObjectNode sn : subnets) {
            if (sn.path("name").asText().equalsIgnoreCase(c.seg(3))) {
                return ok(sn);
            }
        }
        throw new ArmError(404, "NotFound", "Resource " + c.scope() + "/providers/Microsoft.Network/virtualNetworks/"
                + vnet.path("name").asText() + "/subnets/" + c.seg(3) + " not found.");
    }

    /** POST …/virtualNetworks/{vnet}/listNetworkManagerEffectiveSecurityAdminRules ({@link NetworkManagerRules}). */
    private Resp effectiveAdminRules(Call c) {
        if (!c.r().method.equals("POST")) {
            throw new ArmError(405, "MethodNotAllowed", "The requested resource does not support http method '"
                    + c.r().method + "'.");
        }
        if (c.rg() == null) {
            throw invalidType(c.r(), c.ns(), c.typeKey());
        }
        ObjectNode vnet = store.get(c.scope() + "/providers/Microsoft.Network/virtualNetworks/" + c.seg(1), c.rg());
        ObjectNode options = c.r().body == null || c.r().body.length == 0 ? ArmHttp.NODES.objectNode() : bodyObject(c.r());
        int offset = 0;
        JsonNode token = options.path("skipToken");
        if (token.isTextual() && !token.asText().isEmpty()) {
            try {
                offset = Integer.parseInt(token.asText());
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) {
                throw new ArmError(400, "InvalidSkipToken", "The skipToken '" + token.asText() + "' is not valid.");
            }
        }
        return ok(NetworkManagerRules.page(NetworkManagerRules.effective(store, c.subId(), vnet.path("id").asText()),
                offset, pageSize));
    }

    private Resp pricings(Call c) {
        requireRead(c.r());
        if (c.rg() != null) {
            throw invalidType(c.r(), c.ns(), c.typeKey());
        }
        String subId = c.subId();
        if (c.collection()) {
            List<ObjectNode> out = store.list(ArmEmulator.PRICING_TYPE, "/subscriptions/" + subId, null);
            if (out.stream().noneMatch(p -> p.path("name").asText().equalsIgnoreCase("VirtualMachines"))) {
                out.add(0, DefenderPlans.freePricing(subId));
            }
            return ok(page(out, c.r()));
        }
        String id = "/subscriptions/" + subId + "/providers/Microsoft.Security/pricings/" + c.seg(1);
        ObjectNode p = store.find(id);
        if (p != null) {
            return ok(p);
        }
        if (c.seg(1).equalsIgnoreCase("VirtualMachines")) {
            return ok(DefenderPlans.freePricing(subId));
        }
        throw ResourceStore.notFound(id, null);
    }

    private Resp jitList(Call c) {
        requireRead(c.r());
        if (!c.collection()) {
            throw invalidType(c.r(), c.ns(), c.typeKey());
        }
        return ok(page(jitPolicies(c, null), c.r()));
    }

    /**
     * JIT policies under the call's scope; at subscription scope without those the estate marks
     * {@code omitFromSubscriptionList} (the subscription-wide list can miss policies, Azure/azure-powershell#23074).
     */
    private List<ObjectNode> jitPolicies(Call c, String location) {
        if (c.rg() != null) {
            return store.list(ArmEmulator.JIT_TYPE, c.scope(), location);
        }
        return store.list(ArmEmulator.JIT_TYPE, c.scope(), location, p -> !store.omittedFromSubscriptionList(p));
    }

    private Resp jitPolicy(Call c) {
        Req r = c.r();
        if (c.collection()) {
            requireRead(r);
            return ok(page(jitPolicies(c, c.seg(1)), r));
        }
        if (c.rg() == null) {
            throw invalidType(r, c.ns(), c.typeKey());
        }
        String id = c.scope() + "/providers/Microsoft.Security/locations/" + c.seg(1) + "/jitNetworkAccessPolicies/"
                + c.seg(3);
        return switch (r.method) {
            case "GET", "HEAD" -> ok(store.get(id, c.rg()));
            case "PUT" -> putJitPolicy(c, id);
            case "DELETE" -> delete(r, id, false);
            default -> throw methodNotAllowed(r);
        };
    }

    private Resp putJitPolicy(Call c, String id) {
        ObjectNode body = bodyObject(c.r());
        String location = c.seg(1);
        String name = c.seg(3);
        synchronized (store) {
            ObjectNode props = jitValidator.validate(body, c.subId(), c.rg(), location, name);
            ObjectNode existing = store.find(id);
            ObjectNode stored = NODES.objectNode();
            stored.put("id", existing != null ? existing.get("id").asText() : id);
            stored.put("name", existing != null ? existing.path("name").asText(name) : name);
            stored.put("type", ArmEmulator.JIT_TYPE);
            stored.put("kind", body.hasNonNull("kind") ? body.get("kind").asText() : "Basic");
            stored.put("location", existing != null ? existing.path("location").asText(location) : location);
            ObjectNode storedProps = props.deepCopy();
            storedProps.put("provisioningState", "Succeeded");
            stored.set("properties", storedProps);
            store.put(stored);
            DefenderJitRules.apply(store, stored);
            journal.raise(c.r(), stored.get("id").asText(), false);
            return ok(stored);
        }
    }

    private Resp initiate(Call c) {
        Req r = c.r();
        if (!r.method.equals("POST")) {
            throw methodNotAllowed(r);
        }
        if (c.rg() == null) {
            throw invalidType(r, c.ns(), c.typeKey());
        }
        String id = c.scope() + "/providers/Microsoft.Security/locations/" + c.seg(1) + "/jitNetworkAccessPolicies/"
                + c.seg(3);
        ObjectNode body = bodyObject(r);
        synchronized (store) {
            DefenderPlans.requirePlan2(store, c.subId());
            ObjectNode policy = store.get(id, c.rg()).deepCopy();
            ObjectNode request = JitInitiate.request(policy, body, clock.instant(), caller(r));
            ObjectNode props = policy.with("properties");
            (props.get("requests") instanceof ArrayNode a ? a : props.putArray("requests")).add(request);
            store.put(policy);
            expiry.track(id, request, DefenderJitRules.allow(store, policy, request));
            return new Resp(202, request);
        }
    }

    private Resp assignments(Call c) {
        Req r = c.r();
        String api = r.apiVersion();
        String expand = r.query("$expand");
        if (c.collection()) {
            requireRead(r);
            List<ObjectNode> out = new ArrayList<>();
            store.list(ArmEmulator.ASSIGNMENT_TYPE, c.scope(), null)
                    .forEach(a -> out.add(PolicyAssignmentValidator.render(a, api, expand, tenantId)));
            return ok(page(out, r));
        }
        if (c.rest().size() != 2) {
            throw invalidType(r, c.ns(), c.typeKey());
        }
        String id = c.scope() + "/providers/Microsoft.Authorization/policyAssignments/" + c.seg(1);
        return switch (r.method) {
            case "GET", "HEAD" -> ok(PolicyAssignmentValidator.render(store.get(id, c.rg()), api, expand, tenantId));
            case "PUT" -> putAssignment(r, id, c.seg(1));
            case "DELETE" -> delete(r, id, true);
            default -> throw methodNotAllowed(r);
        };
    }

    private Resp putAssignment(Req r, String id, String name) {
        ObjectNode body = bodyObject(r);
        boolean modern = PolicyAssignmentValidator.modern(r.apiVersion());
        ObjectNode props = PolicyAssignmentValidator.validate(body, modern);
        if (modern) {
            synchronized (store) {
                ObjectNode stored = PolicyAssignmentValidator.storedModern(body, props, store.find(id), id, name, tenantId,
                        caller(r));
                store.put(stored);
                journal.raise(r, stored.get("id").asText(), false);
                // The 2025-03-01 spec answers a PUT with 201 only, for a create and an update alike.
                return new Resp(201, PolicyAssignmentValidator.render(stored, r.apiVersion(), null, tenantId));
            }
        }
        synchronized (store) {
            ObjectNode existing = store.find(id);
            ObjectNode stored = NODES.objectNode();
            stored.put("id", existing != null ? existing.get("id").asText() : id);
            stored.put("name", existing != null ? existing.path("name").asText(name) : name);
            stored.put("type", ArmEmulator.ASSIGNMENT_TYPE);
            if (body.has("location")) {
                stored.set("location", body.get("location").deepCopy());
            }
            if (body.has("identity")) {
                stored.set("identity", body.get("identity").deepCopy());
            }
            stored.set("properties", props.deepCopy());
            store.put(stored);
            journal.raise(r, stored.get("id").asText(), false);
            return new Resp(existing == null ? 201 : 200, stored);
        }
    }

    private Resp delete(Req r, String id, boolean returnBody) {
        ObjectNode removed = store.remove(id);
        journal.raise(r, removed != null ? removed.get("id").asText() : id, true);
        if (removed == null) {
            return new Resp(204, null);
        }
        return new Resp(200, returnBody ? removed : null);
    }

    private Resp virtualMachines(Call c) {
        Req r = c.r();
        if (c.collection() || !r.method.equals("DELETE")) {
            return generic(c, ArmEmulator.VM_TYPE);
        }
        if (c.rg() == null) {
            throw invalidType(r, c.ns(), c.typeKey());
        }
        // Compute 2024-07-01 VirtualMachines_Delete: 200/202/204. JIT entries naming the VM stay, as Defender leaves
        // them (MicrosoftDocs/azure-docs#11987).
        String id = c.scope() + "/providers/" + ArmEmulator.VM_TYPE + "/" + c.seg(1);
        ObjectNode removed;
        synchronized (store) {
            ObjectNode found = store.find(id);
            removed = found != null && found.path("type").asText().equalsIgnoreCase(ArmEmulator.VM_TYPE) ? store.remove(id)
                    : null;
        }
        if (removed == null) {
            return new Resp(204, null);
        }
        journal.raise(r, removed.get("id").asText(), true);
        return new Resp(200, null);
    }

    private Resp networkSecurityGroups(Call c) {
        requireRead(c.r());
        String type = "Microsoft.Network/networkSecurityGroups";
        if (c.collection()) {
            List<ObjectNode> nsgs = store.list(type, c.scope(), null);
            int offset = skip(c.r());
            List<ObjectNode> out = new ArrayList<>(nsgs.size());
            for (int k = 0; k < nsgs.size(); k++) {
                // only the page being answered is rendered (back-references cost a scan of the subscription)
                out.add(k >= offset && k < offset + pageSize ? NetworkViews.nsg(store, nsgs.get(k)) : nsgs.get(k));
            }
            return ok(page(out, c.r()));
        }
        if (c.rest().size() != 2) {
            throw invalidType(c.r(), c.ns(), c.typeKey());
        }
        if (c.rg() == null) {
            throw invalidType(c.r(), c.ns(), c.typeKey());
        }
        return ok(NetworkViews.nsg(store, store.get(c.scope() + "/providers/" + type + "/" + c.seg(1), c.rg())));
    }

    private Resp exemptions(Call c) {
        Req r = c.r();
        requireRead(r);
        String api = r.apiVersion();
        if (!Exemptions.API_VERSIONS.contains(api)) {
            throw new ArmError(400, "InvalidApiVersionParameter", "The api-version '" + api + "' is invalid. The supported"
                    + " versions are '" + String.join(",", Exemptions.API_VERSIONS) + "'.");
        }
        if (c.collection()) {
            return ok(page(Exemptions.list(store, c.scope(), r.query("$filter")), r));
        }
        if (c.rest().size() != 2) {
            throw invalidType(r, c.ns(), c.typeKey());
        }
        return ok(store.get(c.scope() + "/providers/Microsoft.Authorization/policyExemptions/" + c.seg(1), c.rg()));
    }

    // ---------------------------------------------------------------- helpers

    /** Who is calling, for {@code systemData}: the token's {@code appid}/{@code oid} claim (or its hash). */
    private static String caller(Req r) {
        ObjectNode claims = EventJournal.claims(r.token);
        for (String f : new String[] {"appid", "azp", "oid"}) {
            if (claims.hasNonNull(f)) {
                return claims.get(f).asText();
            }
        }
        return "unknown";
    }

    private static int skip(Req r) {
        try {
            return r.query("$skiptoken") == null ? 0 : Math.max(0, Integer.parseInt(r.query("$skiptoken")));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static ObjectNode bodyObject(Req r) {
        JsonNode body;
        try {
            body = r.body.length == 0 ? null : Estate.JSON.readTree(r.body);
        } catch (IOException e) {
            throw new ArmError(400, "InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: not valid JSON.");
        }
        if (body == null || !body.isObject()) {
            throw new ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.");
        }
        return (ObjectNode) body;
    }

    /** One page of {@code items} ({@code pageSize} long) with a {@code nextLink} carrying {@code $skiptoken}. */
    private ObjectNode page(List<? extends JsonNode> items, Req r) {
        int offset = 0;
        String token = r.query("$skiptoken");
        if (token != null) {
            try {
                offset = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) {
                throw new ArmError(400, "InvalidSkipToken", "The $skiptoken '" + token + "' is not valid.");
            }
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode value = body.putArray("value");
        int end = Math.min(items.size(), offset + pageSize);
        for (int k = offset; k < end; k++) {
            value.add(items.get(k));
        }
        if (end < items.size()) {
            body.put("nextLink", r.origin + r.rawPath + "?api-version="
                    + URLEncoder.encode(r.apiVersion(), StandardCharsets.UTF_8) + "&$skiptoken=" + end);
        }
        return body;
    }
}
