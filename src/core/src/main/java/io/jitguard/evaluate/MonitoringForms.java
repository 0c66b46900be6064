package io.jitguard.evaluate;

import io.jitguard.model.ArmId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.PolicyExemption;
import io.jitguard.model.ResourceSelector;
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
 * only test fixtures lack it) is judged like v1.</li>
 * <li>{@code overrides}: the effective effect for {@value #JIT_REFERENCE_ID} decides ({@link JitOverrides}): the first
 * override that applies to it wins, the parameter (v1) where none applies.</li>
 * </ul>
 * Reported with the finding, never changed: exemptions of this assignment that cover the JIT audit, and VMs that the
 * assignment's {@code notScopes} or {@code resourceSelectors} leave out.
 */
public final class MonitoringForms {
    public static final String MCSB_V1 = "1f3afdf9-d0c9-4c3d-847f-89da613e70a8";
    public static final String MCSB_V2 = "e3ec7e09-768c-4b64-882c-fcada3772047";
    public static final String JIT_REFERENCE_ID = "jitNetworkAccessMonitoring";
    public static final String JIT_DEFINITION = "b0f33259-77d7-4c9e-aac6-3aabcfae693c";
    /** Appended to an override's value in a report's {@code before}: {@code Disabled (override)}. */
    public static final String OVERRIDE_SUFFIX = " (override)";
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
        String fallback = fallback(initiative, a.effect());
        JitOverrides.Drift drift = JitOverrides.drift(doc.path("properties"), fallback);
        if (drift == null) {
            String kept = MonitoringEffect.audits(fallback) ? null : MonitoringEffect.PARAMETER + " is " + fallback
                    + ", but the overrides keep the JIT audit on everywhere";
            return new MonitoringFinding(sub, MonitoringState.COMPLIANT, a.effect(), a.id(), join(kept, reason));
        }
        boolean byOverride = drift.override() >= 0;
        String before = byOverride ? drift.value() + OVERRIDE_SUFFIX : a.effect();
        return new MonitoringFinding(sub, MonitoringState.DISABLED, before, a.id(),
                join(byOverride ? drift.reason() : null, reason));
    }

    /** The effect where no override applies: the parameter for v1 (and an unspecified definition), none for v2. */
    public static String fallback(Initiative initiative, String parameter) {
        return initiative == Initiative.MCSB_V2 ? null : parameter;
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

    /**
     * An exemption covers the JIT audit when it belongs to this assignment ({@code policyAssignmentId}, any case) and
     * exempts either the whole assignment (no reference ids) or names {@value #JIT_REFERENCE_ID}.
     */
    public static boolean coversJit(PolicyExemption e, String assignmentId) {
        boolean ours = assignmentId != null && assignmentId.equalsIgnoreCase(e.policyAssignmentId());
        return ours && (e.policyDefinitionReferenceIds().isEmpty()
                || e.policyDefinitionReferenceIds().stream().anyMatch(JIT_REFERENCE_ID::equalsIgnoreCase));
    }

    /**
     * Exemptions, VMs outside the assignment's notScopes or resourceSelectors, read problems: in words, or null when
     * none. VMs are named only when the read holds them (a subscription scope).
     */
    static String notes(ObservedSubscription observed, JsonNode assignment) {
        List<String> notes = new ArrayList<>();
        String assignmentId = observed.assignment().map(MonitoringAssignment::id).orElse(null);
        for (PolicyExemption e : observed.exemptions()) {
            if (coversJit(e, assignmentId)) {
                notes.add(exemptionNote(e, observed.vms()));
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
            List<ResourceSelector> selectors =
                    ResourceSelector.parseAll(assignment.path("properties").path("resourceSelectors"));
            List<String> outside = observed.vms().stream().filter(vm -> !ResourceSelectors.selects(selectors, vm))
                    .map(Vm::name).toList();
            if (!outside.isEmpty()) {
                notes.add("resourceSelectors (" + describe(selectors) + ") keep " + outside.size()
                        + " VM(s) outside JIT monitoring: " + String.join(", ", outside));
            }
        }
        notes.addAll(observed.readNotes());
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    private static String exemptionNote(PolicyExemption e, List<Vm> vms) {
        String scope = exemptionScope(e.id());
        String text = "exemption " + e.name() + " (" + e.category() + ", expires "
                + (e.expiresOn() == null ? "never" : e.expiresOn()) + ") exempts " + scope + " from the JIT audit";
        if (!e.resourceSelectors().isEmpty()) {
            text += ", only where its resourceSelectors select (" + describe(e.resourceSelectors()) + ")";
        }
        List<String> exempted = vms.stream().filter(vm -> under(vm.id(), scope))
                .filter(vm -> ResourceSelectors.selects(e.resourceSelectors(), vm)).map(Vm::name).toList();
        if (!vms.isEmpty()) {
            text += exempted.isEmpty() ? ": no VM read is exempted"
                    : ": " + exempted.size() + " VM(s): " + String.join(", ", exempted);
        }
        return text + "; jitguard does not delete exemptions";
    }

    private static String describe(List<ResourceSelector> selectors) {
        return String.join(" or ", selectors.stream().map(ResourceSelectors::describe).toList());
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
