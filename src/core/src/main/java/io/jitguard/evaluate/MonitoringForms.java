package io.jitguard.evaluate;

import io.jitguard.model.ArmId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.PolicyExemption;
import io.jitguard.model.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JIT monitoring effect in all its forms on the {@code SecurityCenterBuiltIn} assignment. Pure.
 * <ul>
 * <li>Microsoft cloud security benchmark v1 ({@value #MCSB_V1}): the parameter
 * {@code jitNetworkAccessMonitoringEffect} (absent = the initiative default, {@code AuditIfNotExists}).</li>
 * <li>MCSB v2 ({@value #MCSB_V2}): references the JIT audit with no parameter; compliant unless an override disables
 * it.</li>
 * <li>Any other definition: reported, not guessed. An assignment without {@code policyDefinitionId} (ARM requires one;
 * only test fixtures lack it) is judged by the parameter alone.</li>
 * <li>{@code overrides} of kind {@code policyEffect} with a non-auditing value whose {@code policyDefinitionReferenceId}
 * selector names {@value #JIT_REFERENCE_ID} in {@code in}: drift, fixed by {@link #removeJitOverrides}.</li>
 * </ul>
 * Exemptions covering the JIT audit and {@code notScopes} holding VMs are reported with the finding, never changed.
 */
public final class MonitoringForms {
    public static final String MCSB_V1 = "1f3afdf9-d0c9-4c3d-847f-89da613e70a8";
    public static final String MCSB_V2 = "e3ec7e09-768c-4b64-882c-fcada3772047";
    public static final String JIT_REFERENCE_ID = "jitNetworkAccessMonitoring";
    public static final String JIT_DEFINITION = "b0f33259-77d7-4c9e-aac6-3aabcfae693c";
    public static final String OVERRIDE_DISABLED = "Disabled (override)";
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Initiative { MCSB_V1, MCSB_V2, OTHER, UNSPECIFIED }

    private MonitoringForms() {
    }

    public static MonitoringFinding finding(ObservedSubscription observed) {
        String sub = observed.subscriptionId();
        if (!observed.monitoringInScope()) {
            return new MonitoringFinding(sub, MonitoringState.NOT_IN_SCOPE, null, null);
        }
        if (observed.assignment().isEmpty()) {
            return new MonitoringFinding(sub, MonitoringState.MISSING, null, null, notes(observed, null));
        }
        MonitoringAssignment a = observed.assignment().get();
        JsonNode doc = parse(a.json());
        Initiative initiative = initiative(doc);
        String reason = notes(observed, doc);
        if (initiative == Initiative.OTHER) {
            String text = "SecurityCenterBuiltIn assigns " + doc.path("properties").path("policyDefinitionId").asText()
                    + ", neither the Microsoft cloud security benchmark v1 (" + MCSB_V1 + ") nor v2 (" + MCSB_V2
                    + "): the JIT monitoring effect is not judged and nothing is written";
            return new MonitoringFinding(sub, MonitoringState.UNRECOGNIZED, a.effect(), a.id(), join(text, reason));
        }
        boolean parameterOff = initiative != Initiative.MCSB_V2 && !MonitoringEffect.audits(a.effect());
        boolean overrideOff = overrideDisablesJit(doc);
        if (!parameterOff && !overrideOff) {
            return new MonitoringFinding(sub, MonitoringState.COMPLIANT, a.effect(), a.id(), reason);
        }
        String before = parameterOff ? a.effect() : OVERRIDE_DISABLED;
        String what = overrideOff ? "an override disables " + JIT_REFERENCE_ID : null;
        return new MonitoringFinding(sub, MonitoringState.DISABLED, before, a.id(), join(what, reason));
    }

    public static Initiative initiative(JsonNode assignment) {
        JsonNode id = assignment.path("properties").path("policyDefinitionId");
        if (!id.isTextual() || id.asText().isBlank()) {
            return Initiative.UNSPECIFIED;
        }
        String last = id.asText().substring(id.asText().lastIndexOf('/') + 1);
        if (last.equalsIgnoreCase(MCSB_V1)) {
            return Initiative.MCSB_V1;
        }
        return last.equalsIgnoreCase(MCSB_V2) ? Initiative.MCSB_V2 : Initiative.OTHER;
    }

    /** True when an override of kind policyEffect with a non-auditing value selects the JIT audit by reference id. */
    public static boolean overrideDisablesJit(JsonNode assignment) {
        for (JsonNode o : assignment.path("properties").path("overrides")) {
            if (disabling(o)) {
                for (JsonNode s : o.path("selectors")) {
                    if (jitSelector(s) && contains(s.path("in"), JIT_REFERENCE_ID)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Removes {@value #JIT_REFERENCE_ID} from the {@code in} of every disabling override's reference-id selector; an
     * override whose selector then selects nothing is removed whole. Every other override, selector and value stays.
     *
     * @return true when something changed
     */
    public static boolean removeJitOverrides(ObjectNode properties) {
        JsonNode overrides = properties.get("overrides");
        if (overrides == null || !overrides.isArray()) {
            return false;
        }
        boolean changed = false;
        ArrayNode array = (ArrayNode) overrides;
        for (int i = array.size() - 1; i >= 0; i--) {
            JsonNode o = array.get(i);
            if (!disabling(o)) {
                continue;
            }
            boolean emptied = false;
            for (JsonNode s : o.path("selectors")) {
                JsonNode in = s.path("in");
                if (jitSelector(s) && in.isArray() && contains(in, JIT_REFERENCE_ID)) {
                    ArrayNode values = (ArrayNode) in;
                    for (int j = values.size() - 1; j >= 0; j--) {
                        if (values.get(j).asText().equalsIgnoreCase(JIT_REFERENCE_ID)) {
                            values.remove(j);
                            changed = true;
                        }
                    }
                    emptied |= values.isEmpty();
                }
            }
            if (emptied) {
                array.remove(i);
            }
        }
        return changed;
    }

    /** An exemption covers the JIT audit when it names its reference id, or exempts this assignment whole. */
    public static boolean coversJit(PolicyExemption e, String assignmentId) {
        boolean names = e.policyDefinitionReferenceIds().stream().anyMatch(JIT_REFERENCE_ID::equalsIgnoreCase);
        boolean whole = e.policyDefinitionReferenceIds().isEmpty() && assignmentId != null
                && assignmentId.equalsIgnoreCase(e.policyAssignmentId());
        return names || whole;
    }

    /** Exemptions, VMs outside the assignment's notScopes, read problems: in words, or null when none. */
    static String notes(ObservedSubscription observed, JsonNode assignment) {
        List<String> notes = new ArrayList<>();
        String assignmentId = observed.assignment().map(MonitoringAssignment::id).orElse(null);
        for (PolicyExemption e : observed.exemptions()) {
            if (coversJit(e, assignmentId)) {
                notes.add("exemption " + e.name() + " (" + e.category() + ", expires "
                        + (e.expiresOn() == null ? "never" : e.expiresOn()) + ") exempts "
                        + exemptionScope(e.id()) + " from the JIT audit; jitguard does not delete exemptions");
            }
        }
        if (assignment != null) {
            for (JsonNode notScope : assignment.path("properties").path("notScopes")) {
                List<String> outside = new ArrayList<>();
                for (Vm vm : observed.vms()) {
                    if (under(vm.id(), notScope.asText())) {
                        outside.add(vm.name());
                    }
                }
                if (!outside.isEmpty()) {
                    notes.add("notScope " + notScope.asText() + " keeps " + outside.size()
                            + " VM(s) outside JIT monitoring: " + String.join(", ", outside));
                }
            }
        }
        notes.addAll(observed.readNotes());
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    private static boolean under(String id, String scope) {
        if (scope == null || scope.isBlank()) {
            return false;
        }
        String i = id.toLowerCase(Locale.ROOT);
        String s = scope.toLowerCase(Locale.ROOT);
        s = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        return i.equals(s) || i.startsWith(s + "/");
    }

    private static String exemptionScope(String id) {
        if (id == null) {
            return "a scope";
        }
        // an exemption is an extension resource: its scope is its parent
        return ArmId.tryParse(id).filter(a -> a.isType("Microsoft.Authorization/policyExemptions"))
                .flatMap(ArmId::parent).map(ArmId::toString).orElse(id);
    }

    private static boolean disabling(JsonNode o) {
        return o.path("kind").asText().equalsIgnoreCase("policyEffect") && o.path("value").isTextual()
                && !MonitoringEffect.audits(o.path("value").asText());
    }

    private static boolean jitSelector(JsonNode s) {
        return s.path("kind").asText().equalsIgnoreCase("policyDefinitionReferenceId");
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + "; " + b;
    }

    static JsonNode parse(String json) {
        try {
            JsonNode n = json == null ? null : JSON.readTree(json);
            return n == null ? MissingNode.getInstance() : n;
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }
}
