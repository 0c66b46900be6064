package io.jitguard.emulator;

import static io.jitguard.emulator.ArmHttp.NODES;
import static io.jitguard.emulator.ArmHttp.lc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.emulator.ArmHttp.ArmError;
import io.jitguard.emulator.ArmHttp.Req;
import io.jitguard.emulator.ArmHttp.Resp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Azure Resource Graph's query ({@code POST /providers/Microsoft.ResourceGraph/resources}, api-version 2021-03-01, the
 * one azure-resourcemanager-resourcegraph 1.1.0 sends), answered from the emulator's own store: at most 1,000 rows a
 * page ({@code options.$top}, 100 when absent), {@code $skipToken} for the next page (bound to the query and
 * subscriptions it came from), {@code objectArray} results. It runs one query, jitguard's VM count per subscription and
 * resource group; any other query, {@code table} results, facets and management-group scopes are refused with a 400
 * that says so. Like Resource Graph, {@code resourceGroup} comes back lower-cased.
 */
final class ResourceGraph {
    static final String PATH = "providers/microsoft.resourcegraph/resources";
    static final String API_VERSION = "2021-03-01";
    /** jitguard's query, whitespace-normalised. */
    static final String VM_COUNT_QUERY = "resources | where type =~ 'microsoft.compute/virtualmachines'"
            + " | summarize vms=count() by subscriptionId, resourceGroup"
            + " | order by subscriptionId asc, resourceGroup asc";
    static final int MAX_TOP = 1000;
    static final int DEFAULT_TOP = 100;
    static final int MAX_SUBSCRIPTIONS = 1000;
    private static final Set<String> REQUEST_FIELDS = Set.of("subscriptions", "managementGroups", "query", "options",
            "facets");
    private static final Set<String> OPTION_FIELDS = Set.of("$skipToken", "$top", "$skip", "resultFormat",
            "allowPartialScopes");

    private final ResourceStore store;

    ResourceGraph(ResourceStore store) {
        this.store = store;
    }

    Resp query(Req r) {
        if (!r.method.equals("POST")) {
            throw ArmHttp.methodNotAllowed(r);
        }
        if (!API_VERSION.equals(r.apiVersion())) {
            throw new ArmError(400, "InvalidApiVersionParameter", "The api-version '" + r.apiVersion()
                    + "' is not served by the emulator's Resource Graph; it serves '" + API_VERSION + "'.");
        }
        ObjectNode body = Routes.bodyObject(r);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!REQUEST_FIELDS.contains(name)) {
                throw bad("unknown request property '" + name + "'");
            }
        }
        if (body.has("managementGroups") || body.has("facets")) {
            throw bad("the emulator's Resource Graph answers subscription-scoped queries without facets only");
        }
        String query = body.path("query").asText("").trim().replaceAll("\\s+", " ");
        if (query.isEmpty()) {
            throw bad("query is required");
        }
        if (!query.equals(VM_COUNT_QUERY)) {
            throw new ArmError(400, "UnsupportedQuery", "The emulator's Resource Graph runs one query, jitguard's VM"
                    + " count: " + VM_COUNT_QUERY);
        }
        List<String> subscriptions = subscriptions(body.path("subscriptions"));
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isObject()) {
            throw bad("options must be an object");
        }
        for (Iterator<String> names = options.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OPTION_FIELDS.contains(name)) {
                throw bad("unknown option '" + name + "'");
            }
        }
        String format = options.path("resultFormat").asText("objectArray");
        if (!format.equals("objectArray")) {
            throw bad("the emulator's Resource Graph answers resultFormat objectArray only, not '" + format + "'");
        }
        int top = bounded(options.path("$top"), DEFAULT_TOP, 1, MAX_TOP, "$top");
        int skip = bounded(options.path("$skip"), 0, 0, Integer.MAX_VALUE, "$skip");
        List<ObjectNode> rows = vmCounts(subscriptions);
        JsonNode token = options.path("$skipToken");
        int offset = token.isMissingNode() || token.isNull() ? skip : offset(token.asText(), query, subscriptions);
        ObjectNode out = NODES.objectNode();
        out.put("totalRecords", rows.size());
        int end = Math.min(rows.size(), offset + top);
        ArrayNode data = NODES.arrayNode();
        for (int k = Math.min(offset, rows.size()); k < end; k++) {
            data.add(rows.get(k));
        }
        out.put("count", data.size());
        out.put("resultTruncated", "false");
        if (end < rows.size()) {
            out.put("$skipToken", token(end, query, subscriptions));
        }
        out.set("data", data);
        out.putArray("facets");
        return ArmHttp.ok(out);
    }

    private List<String> subscriptions(JsonNode given) {
        if (!given.isArray() || given.isEmpty()) {
            throw bad("subscriptions must be a non-empty array (the emulator does not query a whole tenant)");
        }
        if (given.size() > MAX_SUBSCRIPTIONS) {
            throw bad("at most " + MAX_SUBSCRIPTIONS + " subscriptions a query");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : given) {
            if (!s.isTextual()) {
                throw bad("subscriptions must hold strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    /** The VM count, ordered by subscription and resource group; subscriptions the store does not hold count none. */
    private List<ObjectNode> vmCounts(List<String> subscriptions) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (String sub : subscriptions) {
            for (ObjectNode vm : store.list(ArmEmulator.VM_TYPE, "/subscriptions/" + sub, null)) {
                ArmId id = ArmId.parse(vm.path("id").asText());
                counts.computeIfAbsent(lc(id.subscription()), k -> new TreeMap<>())
                        .merge(lc(id.resourceGroup()), 1L, Long::sum);
            }
        }
        List<ObjectNode> rows = new ArrayList<>();
        counts.forEach((sub, groups) -> groups.forEach((rg, n) -> {
            ObjectNode row = NODES.objectNode();
            row.put("subscriptionId", sub);
            row.put("resourceGroup", rg);
            row.put("vms", n);
            rows.add(row);
        }));
        return rows;
    }

    private static int bounded(JsonNode value, int absent, int min, int max, String name) {
        if (value.isMissingNode() || value.isNull()) {
            return absent;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw bad(name + " must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static String token(int offset, String query, List<String> subscriptions) {
        String raw = offset + ":" + Integer.toHexString((query + subscriptions).hashCode());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token, String query, List<String> subscriptions) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            int offset = Integer.parseInt(raw.substring(0, colon));
            if (offset >= 0 && raw.substring(colon + 1).equals(Integer.toHexString((query + subscriptions).hashCode()))) {
                return offset;
            }
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            // falls through to the refusal
        }
        throw bad("$skipToken is not a token of this query and these subscriptions");
    }

    private static ArmError bad(String message) {
        return new ArmError(400, "BadRequest", message);
    }
}
