package io.jitguard.plan;

import io.jitguard.model.ArmId;
import io.jitguard.model.JitPolicyJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.baseline.Baseline;
import io.jitguard.evaluate.RuleCheck;
import io.jitguard.model.PortRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The merge rules, on the policy document. A PUT replaces the whole policy and ARM offers no ETag, so the body starts
 * from a deep copy of the document as read and keeps everything: every VM entry (also those not in the write), every
 * port rule, every {@code requests} entry, every field this code does not know, at any level. For each VM of the
 * write it only adds (the VM, the missing baseline ports) and tightens (a longer duration down to the baseline, a
 * {@code *} source to the baseline's specific sources) — exactly the gaps {@link RuleCheck} finds, the same check the
 * evaluator uses. It never lengthens a duration, widens a source, changes a protocol or removes a rule.
 *
 * <p>Dropped from the body: top-level {@code id}, {@code name}, {@code type}, {@code systemData}, {@code etag} and
 * {@code properties.provisioningState} (read-only). Added when absent: {@code kind: Basic} and {@code location}.
 */
public final class PolicyMerge {
    public static final List<String> READ_ONLY_TOP_LEVEL = List.of("id", "name", "type", "systemData", "etag");
    public static final String PROVISIONING_STATE = "provisioningState";

    private PolicyMerge() {
    }

    /**
     * @param currentOrNull the policy as read, or null (or a JSON null) when none of that name exists
     * @throws UnmergeableDocumentException when the document's shape is not a policy (not an object, virtualMachines not
     *                                  an array, …): nothing is written from a document this code cannot keep whole
     */
    public static MergeResult merge(JsonNode currentOrNull, PolicyWrite write, Baseline baseline) {
        ObjectNode doc = start(currentOrNull, write);
        ObjectNode props = object(doc, "properties", "properties");
        props.remove(PROVISIONING_STATE);
        ArrayNode vms = array(props, JitPolicyJson.VIRTUAL_MACHINES, "properties.virtualMachines");

        Map<String, List<String>> changes = new LinkedHashMap<>();
        Set<String> done = new HashSet<>();
        Map<String, ObjectNode> entries = index(vms);
        for (String vmId : write.vmIds()) {
            if (!done.add(ArmId.key(vmId))) {
                continue;
            }
            List<String> vmChanges = new ArrayList<>();
            ObjectNode entry = entries.get(ArmId.key(vmId));
            if (entry == null) {
                entry = vms.addObject();
                entry.put("id", vmId);
                entry.putArray(JitPolicyJson.PORTS);
                vmChanges.add("add to policy " + write.name());
            }
            ArrayNode ports = array(entry, JitPolicyJson.PORTS, "ports of " + vmId);
            vmChanges.addAll(fix(ports, write.portsOf(vmId, baseline), baseline));
            if (!vmChanges.isEmpty()) {
                changes.put(vmId, vmChanges);
            }
        }
        DeletedVmEntries.remove(vms, write.removeVmIds())
                .forEach(id -> changes.put(id, List.of(DeletedVmEntries.change(id))));
        return new MergeResult(doc, changes);
    }

    /** Applies {@link RuleCheck}'s gaps to one VM's port array; returns them in words. */
    private static List<String> fix(ArrayNode ports, List<Integer> vmPorts, Baseline baseline) {
        List<PortRule> rules = new ArrayList<>();
        List<ObjectNode> nodes = new ArrayList<>();
        for (JsonNode port : ports) {
            Optional<PortRule> rule = JitPolicyJson.parseRule(port);
            if (rule.isPresent()) {
                rules.add(rule.get());
                nodes.add((ObjectNode) port);
            }
        }
        List<String> texts = new ArrayList<>();
        for (RuleCheck.Gap gap : RuleCheck.check(rules, vmPorts, baseline)) {
            switch (gap.kind()) {
                case ADD -> ports.add(JitPolicyJson.ruleNode(RuleCheck.baselineRule(gap.port(), baseline)));
                case TIGHTEN -> nodes.get(gap.ruleIndex())
                        .put(JitPolicyJson.DURATION, baseline.maxDuration().toString());
                case RESTRICT -> JitPolicyJson.setSources(nodes.get(gap.ruleIndex()), baseline.sourcePrefixes());
            }
            if (!texts.contains(gap.text())) {
                texts.add(gap.text());
            }
        }
        return texts;
    }

    private static ObjectNode start(JsonNode current, PolicyWrite write) {
        ObjectNode doc;
        if (current == null || current.isNull() || current.isMissingNode()) {
            doc = JsonNodeFactory.instance.objectNode();
            doc.put("kind", "Basic");
            doc.put("location", write.location());
            doc.putObject("properties").putArray(JitPolicyJson.VIRTUAL_MACHINES);
            return doc;
        }
        if (!current.isObject()) {
            throw new UnmergeableDocumentException("policy " + write.policyId() + " is not a JSON object");
        }
        doc = current.deepCopy();
        READ_ONLY_TOP_LEVEL.forEach(doc::remove);
        if (!doc.hasNonNull("kind")) {
            doc.put("kind", "Basic");
        }
        if (!doc.hasNonNull("location")) {
            doc.put("location", write.location());
        }
        return doc;
    }

    /** The first entry of each VM id (lower-cased) in {@code vms}: one pass, then a lookup per VM of the write. */
    private static Map<String, ObjectNode> index(ArrayNode vms) {
        Map<String, ObjectNode> entries = new HashMap<>();
        for (JsonNode vm : vms) {
            JsonNode id = vm.get("id");
            if (vm.isObject() && id != null && id.isTextual()) {
                entries.putIfAbsent(ArmId.key(id.asText()), (ObjectNode) vm);
            }
        }
        return entries;
    }

    private static ObjectNode object(ObjectNode parent, String field, String what) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return parent.putObject(field);
        }
        if (!node.isObject()) {
            throw new UnmergeableDocumentException(what + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    private static ArrayNode array(ObjectNode parent, String field, String what) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return parent.putArray(field);
        }
        if (!node.isArray()) {
            throw new UnmergeableDocumentException(what + " is not a JSON array");
        }
        return (ArrayNode) node;
    }
}
