package io.jitguard.plan;

import io.jitguard.model.JitPolicyJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of policy documents, baselines and writes for the merge properties. */
final class Generators {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** VM names: plain ones, one listed in documents but absent from the world, and two near the 56-char limit. */
    static final List<String> NAMES = List.of("vm0", "vm1", "vm2", "vm3", "vm4", "gone", "v".repeat(49),
            "w".repeat(50));
    static final List<Integer> PORTS = List.of(22, 3389, 5985, 5986, 80, 443, 1433);
    static final List<String> PREFIXES = List.of("*", "10.0.0.0/8", "192.168.1.0/24", "172.16.0.1",
            "2001:db8::/32");
    static final List<String> POLICY_NAMES = List.of("default", "ops", "team-a");

    private Generators() {
    }

    static String vmId(int index, boolean upper) {
        String id = World.vmId(World.RG, NAMES.get(index));
        return upper ? id.toUpperCase(Locale.ROOT) : id;
    }

    /**
     * Fields no code knows ("x-…"): scalars, null, arrays and nested objects, to be carried through untouched. Picked
     * from a fixed pool (cheap to generate; the merge treats every unknown field alike, whatever its name).
     */
    static final List<Map.Entry<String, JsonNode>> EXTRA_POOL = List.of(
            Map.entry("x-a", IntNode.valueOf(1)),
            Map.entry("x-b", TextNode.valueOf("keep me")),
            Map.entry("x-c", NullNode.instance),
            Map.entry("x-d", BooleanNode.FALSE),
            Map.entry("x-e", F.arrayNode().add(1).add("two").add(F.objectNode().put("three", 3))),
            Map.entry("x-f", F.objectNode().put("nested", true).set("deeper", F.objectNode().put("n", -1))),
            Map.entry("x-g", F.arrayNode()),
            Map.entry("x-h", F.objectNode()));

    static Arbitrary<Map<String, JsonNode>> extras() {
        return Arbitraries.of(EXTRA_POOL).list().ofMaxSize(3).uniqueElements(Map.Entry::getKey).map(l -> {
            Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
            l.forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        });
    }

    static void putAll(ObjectNode node, Map<String, JsonNode> extras) {
        extras.forEach((k, v) -> node.set(k, v.deepCopy()));
    }

    /** Durations from 5 minutes to 1 day, in the spellings ARM may return. */
    static Arbitrary<String> durationText() {
        return Combinators.combine(Arbitraries.integers().between(5, 1440), Arbitraries.integers().between(0, 2))
                .as((m, style) -> switch (style) {
                    case 0 -> Duration.ofMinutes(m).toString();
                    case 1 -> "PT" + m + "M";
                    default -> m == 1440 ? "P1D" : Duration.ofMinutes(m).toString();
                });
    }

    static Arbitrary<ObjectNode> rule() {
        Arbitrary<List<String>> sources = Arbitraries.of(PREFIXES).list().ofMinSize(1).ofMaxSize(3)
                .uniqueElements();
        return Combinators.combine(Arbitraries.of(PORTS), Arbitraries.of("TCP", "UDP", "*"), durationText(),
                sources, Arbitraries.of(true, false), extras()).as((n, protocol, d, src, plural, x) -> {
                    ObjectNode r = F.objectNode();
                    r.put("number", n);
                    r.put("protocol", protocol);
                    if (plural) {
                        ArrayNode a = r.putArray(JitPolicyJson.PREFIXES);
                        src.forEach(a::add);
                    } else {
                        r.put(JitPolicyJson.PREFIX, src.get(0));
                    }
                    r.put("maxRequestAccessDuration", d);
                    putAll(r, x);
                    return r;
                });
    }

    static Arbitrary<ObjectNode> vmEntry() {
        return Combinators.combine(Arbitraries.integers().between(0, NAMES.size() - 1), Arbitraries.of(true, false),
                rule().list().ofMaxSize(5), extras()).as((i, upper, rules, x) -> {
                    ObjectNode vm = F.objectNode();
                    vm.put("id", vmId(i, upper));
                    ArrayNode ports = vm.putArray("ports");
                    rules.forEach(ports::add);
                    putAll(vm, x);
                    return vm;
                });
    }

    static Arbitrary<ObjectNode> request() {
        return Combinators.combine(Arbitraries.integers().between(0, NAMES.size() - 1), Arbitraries.of(PORTS),
                Arbitraries.of("Initiated", "Revoked"), extras()).as((i, port, status, x) -> {
                    ObjectNode req = F.objectNode();
                    ObjectNode vm = req.putArray("virtualMachines").addObject();
                    vm.put("id", vmId(i, false));
                    ObjectNode p = vm.putArray("ports").addObject();
                    p.put("number", port);
                    p.put("status", status);
                    p.put("statusReason", "Expired");
                    p.put("endTimeUtc", "2026-11-22T10:00:00Z");
                    req.put("requestor", "alice@example.com");
                    req.put("startTimeUtc", "2026-11-22T07:00:00Z");
                    putAll(req, x);
                    return req;
                });
    }

    /** A policy document as ARM returns it, read-only fields included or not. */
    static Arbitrary<ObjectNode> policyDocument() {
        return Combinators.combine(
                vmEntry().list().ofMaxSize(6).uniqueElements(v -> v.get("id").asText().toLowerCase(Locale.ROOT)),
                request().list().ofMaxSize(2), extras(), extras(), Arbitraries.of(true, false))
                .as((vms, requests, top, props, readOnly) -> {
                    ObjectNode doc = F.objectNode();
                    if (readOnly) {
                        doc.put("id", "to-be-dropped");
                        doc.put("name", "default");
                        doc.put("type", "Microsoft.Security/locations/jitNetworkAccessPolicies");
                        doc.putObject("systemData").put("createdBy", "bob");
                    }
                    doc.put("kind", "Basic");
                    doc.put("location", World.LOC);
                    putAll(doc, top);
                    ObjectNode p = doc.putObject("properties");
                    if (readOnly) {
                        p.put("provisioningState", "Succeeded");
                    }
                    ArrayNode v = p.putArray("virtualMachines");
                    vms.forEach(v::add);
                    if (!requests.isEmpty() || readOnly) {
                        ArrayNode r = p.putArray("requests");
                        requests.forEach(r::add);
                    }
                    putAll(p, props);
                    return doc;
                });
    }

    static Arbitrary<Baseline> baseline() {
        Arbitrary<List<String>> sources = Arbitraries.oneOf(Arbitraries.just(List.of("*")),
                Arbitraries.of("10.0.0.0/8", "192.168.1.0/24", "172.16.0.1", "2001:db8::/32").list().ofMinSize(1)
                        .ofMaxSize(3).uniqueElements());
        return Combinators.combine(Arbitraries.of(22, 3389, 5985, 5986, 80, 443).list().ofMinSize(1).ofMaxSize(4)
                        .uniqueElements(), sources, Arbitraries.integers().between(5, 1440))
                .as((ports, src, minutes) -> new Baseline(ports, "*", src, Duration.ofMinutes(minutes),
                        Mode.ENFORCE, List.of(), Baseline.DEFAULT_EXCLUSION_TAG));
    }

    /** VM ids to cover, in any spelling. */
    static Arbitrary<List<String>> writeVmIds() {
        return Combinators.combine(Arbitraries.integers().between(0, NAMES.size() - 1), Arbitraries.of(true, false))
                .as(Generators::vmId).list().ofMinSize(1).ofMaxSize(4)
                .uniqueElements(s -> s.toLowerCase(Locale.ROOT));
    }
}
