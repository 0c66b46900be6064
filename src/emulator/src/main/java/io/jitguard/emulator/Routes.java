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
    private final int port;
    private final Map<String, Handler> table = new LinkedHashMap<>();

    Routes(ResourceStore store, EventJournal journal, int pageSize, int port) {
        this.store = store;
        this.journal = journal;
        this.jitValidator = new JitPolicyValidator(store);
        this.pageSize = pageSize;
        this.port = port;
        for (String type : List.of(ArmEmulator.VM_TYPE, "Microsoft.ClassicCompute/virtualMachines",
                "Microsoft.Network/networkInterfaces", "Microsoft.Network/networkSecurityGroups",
                "Microsoft.Network/virtualNetworks", "Microsoft.Network/azureFirewalls")) {
            table.put(lc(type), c -> generic(c, type));
        }
        table.put("microsoft.network/virtualnetworks/subnets", this::subnets);
        table.put("microsoft.security/pricings", this::pricings);
        table.put("microsoft.security/jitnetworkaccesspolicies", this::jitList);
        table.put("microsoft.security/locations/jitnetworkaccesspolicies", this::jitPolicy);
        table.put("microsoft.authorization/policyassignments", this::assignments);
    }

    Resp route(Req r) {
        List<String> s = r.segs;
        List<String> l = r.lower;
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
        Handler h = table.get(typeKey);
        if (h == null) {
            throw invalidType(r, ns, typeKey);
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
        return ok(page(store.list(ArmEmulator.JIT_TYPE, c.scope(), null), c.r()));
    }

    private Resp jitPolicy(Call c) {
        Req r = c.r();
        if (c.collection()) {
            requireRead(r);
            return ok(page(store.list(ArmEmulator.JIT_TYPE, c.scope(), c.seg(1)), r));
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
            journal.raise(c.r(), stored.get("id").asText(), false);
            return ok(stored);
        }
    }

    private Resp assignments(Call c) {
        Req r = c.r();
        if (c.collection()) {
            requireRead(r);
            return ok(page(store.list(ArmEmulator.ASSIGNMENT_TYPE, c.scope(), null), r));
        }
        if (c.rest().size() != 2) {
            throw invalidType(r, c.ns(), c.typeKey());
        }
        String id = c.scope() + "/providers/Microsoft.Authorization/policyAssignments/" + c.seg(1);
        return switch (r.method) {
            case "GET", "HEAD" -> ok(store.get(id, c.rg()));
            case "PUT" -> putAssignment(r, id, c.seg(1));
            case "DELETE" -> delete(r, id, true);
            default -> throw methodNotAllowed(r);
        };
    }

    private Resp putAssignment(Req r, String id, String name) {
        ObjectNode body = bodyObject(r);
        ObjectNode props = PolicyAssignmentValidator.validate(body);
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

    // ---------------------------------------------------------------- helpers

    private static ObjectNode bodyObject(Req r) {
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
            body.put("nextLink", "https://localhost:" + port + r.rawPath + "?api-version="
                    + URLEncoder.encode(r.apiVersion(), StandardCharsets.UTF_8) + "&$skiptoken=" + end);
        }
        return body;
    }
}
