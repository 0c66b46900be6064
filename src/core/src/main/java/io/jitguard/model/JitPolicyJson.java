package io.jitguard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.PortRule;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads JIT policy documents ({@code Microsoft.Security/locations/jitNetworkAccessPolicies}, api 2020-01-01) into
 * model records, and writes the rules jitguard adds. Lenient by design, because whatever it cannot read is kept
 * untouched by the merge ({@code plan.PolicyMerge}):
 * <ul>
 *   <li>a port entry without a readable {@code number} is skipped (it cannot be a baseline port rule);</li>
 *   <li>an unparseable or absent {@code maxRequestAccessDuration} becomes {@code null}: "unknown" — the rule counts
 *       as present for its port, is never tightened and is not reported as loose;</li>
 *   <li>a rule with neither {@code allowedSourceAddressPrefix} nor {@code allowedSourceAddressPrefixes} is read as
 *       {@code ["*"]} (unknown breadth is taken as the widest, so a specific-source baseline restricts it);</li>
 *   <li>a rule carrying both fields (ARM rejects that) is read as the union of both.</li>
 * </ul>
 */
public final class JitPolicyJson {
    public static final String VIRTUAL_MACHINES = "virtualMachines";
    public static final String PORTS = "ports";
    public static final String NUMBER = "number";
    public static final String PROTOCOL = "protocol";
    public static final String DURATION = "maxRequestAccessDuration";
    public static final String PREFIX = "allowedSourceAddressPrefix";
    public static final String PREFIXES = "allowedSourceAddressPrefixes";

    private JitPolicyJson() {
    }

    /** The VM entries of a policy document ({@code properties.virtualMachines}); entries without an id are skipped. */
    public static List<JitVm> parseVms(JsonNode policy) {
        List<JitVm> out = new ArrayList<>();
        if (policy == null) {
            return out;
        }
        for (JsonNode vm : policy.path("properties").path(VIRTUAL_MACHINES)) {
            JsonNode id = vm.get("id");
            if (id == null || !id.isTextual()) {
                continue;
            }
            List<PortRule> rules = new ArrayList<>();
            for (JsonNode port : vm.path(PORTS)) {
                parseRule(port).ifPresent(rules::add);
            }
            out.add(new JitVm(id.asText(), rules));
        }
        return out;
    }

    /** One port entry; empty when it has no readable number in 0-65535. */
    public static Optional<PortRule> parseRule(JsonNode port) {
        if (port == null || !port.isObject()) {
            return Optional.empty();
        }
        JsonNode n = port.get(NUMBER);
        int number;
        if (n != null && n.isIntegralNumber()) {
            number = n.asInt();
        } else if (n != null && n.isTextual() && n.asText().trim().matches("[0-9]{1,5}")) {
            number = Integer.parseInt(n.asText().trim());
        } else {
            return Optional.empty();
        }
        if (number < 0 || number > 65535) {
            return Optional.empty();
        }
        JsonNode p = port.get(PROTOCOL);
        String protocol = p == null || p.isNull() ? null : p.asText();
        return Optional.of(new PortRule(number, protocol, duration(port.get(DURATION)), sources(port)));
    }

    /** The rule's duration, or null when absent or unparseable ("unknown"). {@code P1D} parses. */
    public static Duration duration(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Duration.parse(node.asText().trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Sources of a port entry, see the class comment for absent or doubled fields. */
    public static List<String> sources(JsonNode port) {
        List<String> out = new ArrayList<>();
        JsonNode one = port.get(PREFIX);
        if (one != null && !one.isNull()) {
            out.add(one.asText());
        }
        JsonNode many = port.get(PREFIXES);
        if (many != null && many.isArray()) {
            many.forEach(s -> out.add(s.asText()));
        }
        if (out.isEmpty()) {
            out.add("*");
        }
        return out;
    }

    /** Sets the source of a port entry to {@code prefixes}, keeping exactly one of the two fields. */
    public static void setSources(ObjectNode port, List<String> prefixes) {
        port.remove(PREFIX);
        port.remove(PREFIXES);
        if (prefixes.equals(List.of("*"))) {
            port.put(PREFIX, "*");
        } else {
            ArrayNode arr = port.putArray(PREFIXES);
            prefixes.forEach(arr::add);
        }
    }

    /** A port entry for {@code rule} (a null protocol or duration leaves that field out). */
    public static ObjectNode ruleNode(PortRule rule) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put(NUMBER, rule.number());
        if (rule.protocol() != null) {
            node.put(PROTOCOL, rule.protocol());
        }
        setSources(node, rule.sourcePrefixes());
        if (rule.maxRequestAccessDuration() != null) {
            node.put(DURATION, rule.maxRequestAccessDuration().toString());
        }
        return node;
    }

    /** Parts of a policy id. */
    public record PolicyId(String subscriptionId, String resourceGroup, String location, String name) {
    }

    public static Optional<PolicyId> parseId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return ArmId.tryParse(id).filter(a -> a.resourceGroup() != null)
                .filter(a -> a.isType("Microsoft.Security/locations/jitNetworkAccessPolicies"))
                .map(a -> new PolicyId(a.subscription(), a.resourceGroup(), a.nameOf("locations").orElseThrow(),
                        a.name()));
    }

    /**
     * A {@link JitPolicy} record from its id and document (for the ARM adapter, whose documents carry {@code id}).
     *
     * @throws IllegalArgumentException when {@code id} is not a JIT policy id
     */
    public static JitPolicy toPolicy(String id, JsonNode document) {
        PolicyId p = parseId(id).orElseThrow(() -> new IllegalArgumentException("not a JIT policy id: " + id));
        return new JitPolicy(id, p.subscriptionId(), p.resourceGroup(), p.location(), p.name(), parseVms(document),
                document.toString());
    }

    /** {@link #toPolicy(String, JsonNode)} with the document's own {@code id}. */
    public static JitPolicy toPolicy(JsonNode document) {
        return toPolicy(document.path("id").asText(null), document);
    }
}
