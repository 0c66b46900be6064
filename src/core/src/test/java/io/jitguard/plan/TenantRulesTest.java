package io.jitguard.plan;

import static io.jitguard.World.LOC;
import static io.jitguard.World.RG;
import static io.jitguard.World.defaultRules;
import static io.jitguard.World.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.evaluate.Evaluator;
import io.jitguard.evaluate.FirewallSupport;
import io.jitguard.evaluate.MonitoringFinding;
import io.jitguard.evaluate.MonitoringForms;
import io.jitguard.evaluate.MonitoringState;
import io.jitguard.evaluate.VmFinding;
import io.jitguard.evaluate.VmState;
import io.jitguard.model.DefenderPlan;
import io.jitguard.model.Firewall;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.Nic;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.PolicyExemption;
import io.jitguard.model.Vm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 9's rules, pure: deleted VMs, firewalls Defender accepts, the plan, the monitoring effect's forms, choice. */
class TenantRulesTest {
    final Baseline baseline = Baseline.defaults();
    final World w = new World();

    static JsonNode json(String s) throws Exception {
        return World.JSON.readTree(s.replace('\'', '"'));
    }

    ObservedSubscription withDeleted(ObservedSubscription o, List<String> deleted) {
        return new ObservedSubscription(o.subscriptionId(), o.defenderPlan(), o.monitoringInScope(), o.assignment(),
                o.resourceGroups(), o.vms(), o.nics(), o.subnets(), o.firewalls(), o.policies(), deleted, List.of(),
                List.of());
    }

    // ---- deleted VMs ----

    @Test
    void aPolicyHoldingOnlyAConfirmedDeletedVmIsPlannedAndTheMergeRemovesOnlyThatEntry() throws Exception {
        Vm kept = w.vm("kept");
        String gone = World.vmId(RG, "gone");
        Vm goneVm = new Vm(gone, "gone", World.SUB, RG, LOC, Map.of(), false, List.of());
        w.policy(RG, LOC, "default", entry(kept, defaultRules()), entry(goneVm, defaultRules()));
        w.vms.remove(goneVm);
        ObservedSubscription o = withDeleted(w.build(), List.of(gone));

        Plan plan = Planner.plan(List.of(Evaluator.evaluate(o, baseline)), baseline);
        assertThat(plan.policyWrites()).singleElement().satisfies(pw -> {
            assertThat(pw.vmIds()).isEmpty();
            assertThat(pw.removeVmIds()).containsExactly(gone);
        });
        ObjectNode doc = (ObjectNode) World.JSON.readTree(o.policies().get(0).json());
        ((ObjectNode) doc.get("properties")).putArray("requests").addObject().put("requestor", "alice");
        MergeResult merge = PolicyMerge.merge(doc, plan.policyWrites().get(0), baseline);
        assertThat(merge.document().at("/properties/virtualMachines").findValuesAsText("id")).containsExactly(kept.id());
        assertThat(merge.document().at("/properties/requests/0/requestor").asText()).isEqualTo("alice");
        assertThat(merge.changesByVmId()).containsExactly(Map.entry(gone, List.of("remove entry of deleted VM " + gone)));
    }

    @Test
    void noDeletedVmsNoRemoval() {
        Vm kept = w.vm("kept");
        w.policy(RG, LOC, "default", entry(kept, defaultRules()));
        Plan plan = Planner.plan(List.of(Evaluator.evaluate(w.build(), baseline)), baseline);
        assertThat(plan.policyWrites()).isEmpty();
    }

    // ---- firewalls ----

    @Test
    void aVmProtectedOnlyByAFirewallManagerFirewallIsUnsupportedWithTheReason() {
        String nic = "/subscriptions/" + World.SUB + "/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/n";
        w.nics.add(new Nic(nic, null, List.of(World.subnetId("vnet1", "default"))));
        w.add(new Vm(World.vmId(RG, "fwvm"), "fwvm", World.SUB, RG, LOC, Map.of(), false, List.of(nic)));
        w.firewalls.add(new Firewall("/fw", List.of(World.subnetId("vnet1", "AzureFirewallSubnet")), "/fwpolicy",
                "AZFW_VNet", null));
        VmFinding f = Evaluator.evaluate(w.build(), baseline).vms().get(0);
        assertThat(f.state()).isEqualTo(VmState.UNSUPPORTED);
        assertThat(f.reason()).isEqualTo(FirewallSupport.REASON_MANAGED_FIREWALL_ONLY);

        w.firewalls.set(0, new Firewall("/fw", List.of(World.subnetId("vnet1", "AzureFirewallSubnet"))));
        assertThat(Evaluator.evaluate(w.build(), baseline).vms().get(0).state()).isEqualTo(VmState.MISSING);
    }

    // ---- Defender plan ----

    @Test
    void standardWithoutSubPlanIsTheFullPlanAndUnregisteredBlocksWithItsReason() {
        assertThat(new DefenderPlan("Standard", null).enablesJit()).isTrue();
        assertThat(new DefenderPlan("Standard", "P1").enablesJit()).isFalse();
        w.vm("vm1");
        w.defenderPlan = DefenderPlan.unavailable("Microsoft.Security is not registered");
        VmFinding f = Evaluator.evaluate(w.build(), baseline).vms().get(0);
        assertThat(f.state()).isEqualTo(VmState.BLOCKED);
        assertThat(f.reason()).isEqualTo("Microsoft.Security is not registered");
    }

    // ---- monitoring effect ----

    static final String V2 = "/providers/Microsoft.Authorization/policySetDefinitions/" + MonitoringForms.MCSB_V2;
    static final String V1 = "/providers/Microsoft.Authorization/policySetDefinitions/" + MonitoringForms.MCSB_V1;

    MonitoringFinding monitoring(String assignmentJson) throws Exception {
        JsonNode a = json(assignmentJson);
        w.assignment = Optional.of(new MonitoringAssignment(World.assignment(null).id(), World.SUB,
                AssignmentMerge.effectOf(a), a.toString()));
        return Evaluator.evaluate(w.build(), baseline).monitoring();
    }

    static String override(String value, String... in) {
        return "{'kind':'policyEffect','value':'" + value + "','selectors':[{'kind':'policyDefinitionReferenceId','in':['"
                + String.join("','", in) + "']}]}";
    }

    @Test
    void mcsbV2IsCompliantWithoutAParameterUnlessAnOverrideDisablesTheJitAudit() throws Exception {
        assertThat(monitoring("{'properties':{'policyDefinitionId':'" + V2 + "'}}").state())
                .isEqualTo(MonitoringState.COMPLIANT);
        assertThat(monitoring("{'properties':{'policyDefinitionId':'" + V2 + "','overrides':["
                + override("Disabled", "jitNetworkAccessMonitoring") + "]}}").state())
                .isEqualTo(MonitoringState.DISABLED);
        assertThat(monitoring("{'properties':{'policyDefinitionId':'" + V2 + "','overrides':["
                + override("Disabled", "somethingElse") + "]}}").state()).isEqualTo(MonitoringState.COMPLIANT);
    }

    @Test
    void anotherInitiativeIsReportedNotGuessedAndNeverWritten() throws Exception {
        String doc = "{'properties':{'policyDefinitionId':'/providers/Microsoft.Authorization/policySetDefinitions/x',"
                + "'parameters':{'jitNetworkAccessMonitoringEffect':{'value':'Disabled'}}}}";
        MonitoringFinding f = monitoring(doc);
        assertThat(f.state()).isEqualTo(MonitoringState.UNRECOGNIZED);
        assertThat(f.reason()).contains("neither").contains(MonitoringForms.MCSB_V1);
        assertThat(AssignmentMerge.merge(json(doc))).isEmpty();
        assertThat(Planner.plan(List.of(Evaluator.evaluate(w.build(), baseline)), baseline).assignmentWrites()).isEmpty();
    }

    @Test
    void theMergeRemovesOnlyTheJitSelectorValueOrTheOverrideThatSelectsNothingElse() throws Exception {
        JsonNode a = json("{'properties':{'policyDefinitionId':'" + V2 + "','definitionVersion':'1.*.*','overrides':["
                + override("Disabled", "jitNetworkAccessMonitoring", "other") + ","
                + override("Disabled", "jitNetworkAccessMonitoring") + ","
                + override("Audit", "third") + "]}}");
        ObjectNode body = AssignmentMerge.merge(a).orElseThrow();
        assertThat(body.at("/properties/definitionVersion").asText()).isEqualTo("1.*.*");
        assertThat(body.at("/properties/overrides")).hasSize(2);
        assertThat(body.at("/properties/overrides/0/selectors/0/in").toString()).isEqualTo("[\"other\"]");
        assertThat(body.at("/properties/overrides/1/value").asText()).isEqualTo("Audit");
        assertThat(body.at("/properties/parameters").isMissingNode()).as("MCSB v2 gets no parameter").isTrue();
        assertThat(AssignmentMerge.merge(body)).isEmpty();
    }

    @Test
    void theMergeStripsExactlyTheReadOnlyFields() throws Exception {
        JsonNode a = json("{'id':'i','name':'n','type':'t','systemData':{},'location':'westeurope',"
                + "'identity':{'type':'UserAssigned','principalId':'p','tenantId':'t','userAssignedIdentities':"
                + "{'/u':{'principalId':'p2','clientId':'c2'}}},'properties':{'policyDefinitionId':'" + V1 + "',"
                + "'scope':'/subscriptions/s','instanceId':'x','effectiveDefinitionVersion':'1.0.0',"
                + "'latestDefinitionVersion':'1.1.0','definitionVersion':'1.*.*','assignmentType':'System',"
                + "'parameters':{'jitNetworkAccessMonitoringEffect':{'value':'Disabled'}}}}");
        ObjectNode body = AssignmentMerge.merge(a).orElseThrow();
        assertThat(body.toString().replace('"', '\'')).isEqualTo("{'location':'westeurope','identity':{'type':"
                + "'UserAssigned','userAssignedIdentities':{'/u':{}}},'properties':{'policyDefinitionId':'" + V1
                + "','definitionVersion':'1.*.*','assignmentType':'System','parameters':{"
                + "'jitNetworkAccessMonitoringEffect':{'value':'AuditIfNotExists'}}}}");
    }

    @Test
    void exemptionsAndNotScopesWithVmsAreReported() throws Exception {
        w.vm("rg-out", LOC, "vm-out");
        w.vm("vm-in");
        String assignmentId = World.assignment(null).id();
        JsonNode a = json("{'properties':{'policyDefinitionId':'" + V1 + "','notScopes':['/subscriptions/"
                + World.SUB + "/resourceGroups/rg-out']}}");
        w.assignment = Optional.of(new MonitoringAssignment(assignmentId, World.SUB, null, a.toString()));
        ObservedSubscription base = w.build();
        ObservedSubscription o = new ObservedSubscription(base.subscriptionId(), base.defenderPlan(), true,
                base.assignment(), base.resourceGroups(), base.vms(), base.nics(), base.subnets(), base.firewalls(),
                base.policies(), List.of(), List.of(
                new PolicyExemption("/subscriptions/s/resourceGroups/rg-x/providers/Microsoft.Authorization/"
                        + "policyExemptions/e1", "e1", assignmentId, List.of("jitNetworkAccessMonitoring"), "Waiver",
                        "2030-01-01T00:00:00Z"),
                new PolicyExemption("/e2", "e2", assignmentId, List.of("diskEncryption"), "Waiver", null)),
                List.of());
        MonitoringFinding f = Evaluator.evaluate(o, baseline).monitoring();
        assertThat(f.state()).isEqualTo(MonitoringState.COMPLIANT);
        assertThat(f.reason()).contains("exemption e1 (Waiver, expires 2030-01-01T00:00:00Z) exempts "
                + "/subscriptions/s/resourceGroups/rg-x").doesNotContain("e2")
                .contains("1 VM(s) outside JIT monitoring: vm-out").doesNotContain("vm-in");
    }

    @Test
    void onlyExemptionsOfThisAssignmentThatCoverTheJitAuditCountAndTheirResourceSelectorsNarrowThem() throws Exception {
        w.vm("rg-x", "westeurope", "vm-we");
        w.vm("rg-x", "eastus", "vm-east");
        String assignmentId = World.assignment(null).id();
        w.assignment = Optional.of(new MonitoringAssignment(assignmentId, World.SUB, null,
                json("{'properties':{'policyDefinitionId':'" + V1 + "'}}").toString()));
        String rgX = "/subscriptions/" + World.SUB + "/resourceGroups/rg-x";
        String other = "/subscriptions/" + World.SUB + "/providers/Microsoft.Authorization/policyAssignments/other";
        ObservedSubscription o = withExemptions(w.build(), List.of(
                exemption(rgX, "of-another-assignment", other.toUpperCase(), List.of("jitNetworkAccessMonitoring"),
                        List.of()),
                exemption(rgX, "whole", assignmentId.toUpperCase(), List.of(), List.of()),
                exemption(rgX, "east-only", assignmentId, List.of("JITNETWORKACCESSMONITORING"), List.of(
                        new io.jitguard.model.ResourceSelector("east", List.of(new io.jitguard.model.ResourceSelector
                                .Selector("resourceLocation", List.of("East US"), null))))),
                exemption(rgX, "other-policy", assignmentId, List.of("diskEncryption"), List.of())));
        String reason = Evaluator.evaluate(o, baseline).monitoring().reason();
        assertThat(reason).doesNotContain("of-another-assignment").doesNotContain("other-policy")
                .contains("exemption whole (Waiver, expires never) exempts " + rgX + " from the JIT audit: 2 VM(s): "
                        + "vm-we, vm-east")
                .contains("exemption east-only (Waiver, expires never) exempts " + rgX + " from the JIT audit, only "
                        + "where its resourceSelectors select (east: resourceLocation in [East US]): 1 VM(s): vm-east;");
    }

    @Test
    void vmsTheAssignmentsResourceSelectorsLeaveOutAreNamed() throws Exception {
        w.vm("rg-a", "westeurope", "vm-we");
        w.vm("rg-a", "eastus", "vm-east");
        String assignmentId = World.assignment(null).id();
        w.assignment = Optional.of(new MonitoringAssignment(assignmentId, World.SUB, null, json("{'properties':{"
                + "'policyDefinitionId':'" + V1 + "','resourceSelectors':[{'name':'SDP','selectors':[{'kind':"
                + "'resourceLocation','in':['eastus']},{'kind':'resourceType','notIn':['Microsoft.Storage/"
                + "storageAccounts']}]}]}}").toString()));
        MonitoringFinding f = Evaluator.evaluate(w.build(), baseline).monitoring();
        assertThat(f.state()).isEqualTo(MonitoringState.COMPLIANT);
        assertThat(f.reason()).isEqualTo("resourceSelectors (SDP: resourceLocation in [eastus] and resourceType notIn "
                + "[Microsoft.Storage/storageAccounts]) keep 1 VM(s) outside JIT monitoring: vm-we");
    }

    static PolicyExemption exemption(String scope, String name, String assignmentId, List<String> refs,
                                     List<io.jitguard.model.ResourceSelector> selectors) {
        return new PolicyExemption(scope + "/providers/Microsoft.Authorization/policyExemptions/" + name, name,
                assignmentId, refs, "Waiver", null, selectors);
    }

    static ObservedSubscription withExemptions(ObservedSubscription b, List<PolicyExemption> exemptions) {
        return new ObservedSubscription(b.subscriptionId(), b.defenderPlan(), true, b.assignment(),
                b.resourceGroups(), b.vms(), b.nics(), b.subnets(), b.firewalls(), b.policies(), List.of(),
                exemptions, List.of());
    }

    // ---- policy choice under the lock ----

    @Test
    void aVmAlreadyListedByAnotherPolicyOfTheResourceGroupIsNotAddedToDefault() {
        Vm vm = w.vm("vm1");
        Vm other = w.vm("vm2");
        JitPolicy ops = w.policy(RG, LOC, "ops-jit", entry(vm, defaultRules()));
        String defaultId = io.jitguard.evaluate.PolicyNaming.policyId(World.SUB, RG, LOC, "default");
        PolicyWrite write = new PolicyWrite(defaultId, World.SUB, RG, LOC, "default", true, List.of(vm.id(), other.id()));
        PolicyChoice.Choice c = PolicyChoice.recheck(write, List.of(ops));
        assertThat(c.write().vmIds()).containsExactly(other.id());
        assertThat(c.elsewhere()).containsExactly(Map.entry(vm.id(), ops.id()));
    }
}
