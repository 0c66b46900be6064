package io.jitguard.engine;

import static io.jitguard.testing.EstateEdits.resource;
import static io.jitguard.testing.EstateEdits.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.ArmOperation;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 9 ("works on a real tenant") end to end: the real SDK pipeline against the emulator. */
class RealTenantTest extends EditedEstate {
    static final String PROD = "11111111-1111-1111-1111-111111111111";
    static final String RG_WEB = "/subscriptions/" + PROD + "/resourceGroups/rg-web";
    static final String POLICY = RG_WEB + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
    static final String GONE = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-gone";

    /** The rg-web default policy also lists vm-gone (no such VM) and holds a request history naming it. */
    static void withDeletedVmEntry(ObjectNode estate) {
        ObjectNode props = (ObjectNode) resource(estate, "jitNetworkAccessPolicies/default").path("properties");
        ObjectNode entry = ((ArrayNode) props.path("virtualMachines")).addObject().put("id", GONE);
        entry.putArray("ports").addObject().put("number", 22).put("protocol", "*")
                .put("maxRequestAccessDuration", "PT3H").put("allowedSourceAddressPrefix", "*");
        ObjectNode request = props.putArray("requests").addObject();
        request.put("startTimeUtc", "2024-01-01T00:00:00Z").put("requestor", "alice@example.com");
        request.putArray("virtualMachines").addObject().put("id", GONE);
    }

    VmReport vm(Report report, String id) {
        return report.vms().stream().filter(v -> v.id().equalsIgnoreCase(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no report for " + id + " in " + report.vms()));
    }

    @Test
    void anEntryOfAConfirmedDeletedVmIsRemovedInTheSameWriteAndTheRequestHistoryStays() throws Exception {
        start(RealTenantTest::withDeletedVmEntry);
        Report report = jitguard.reconcile(List.of(new SubscriptionScope(PROD)), new RunOptions(false, "test"));

        JsonNode policy = arm.get(ArmOperation.GET_JIT_POLICY, POLICY);
        assertThat(policy.at("/properties/virtualMachines").findValuesAsText("id"))
                .noneMatch(id -> id.equalsIgnoreCase(GONE))
                .anyMatch(id -> id.endsWith("/vm-web-2")); // the missing VM went in by the same write
        assertThat(policy.at("/properties/requests/0/requestor").asText()).isEqualTo("alice@example.com");
        assertThat(policy.at("/properties/requests/0/virtualMachines/0/id").asText()).isEqualTo(GONE);
        assertThat(report.writes()).filteredOn(w -> w.equalsIgnoreCase(POLICY)).hasSize(1);
        VmReport gone = vm(report, GONE);
        assertThat(gone.status()).isEqualTo(VmStatus.FIXED);
        assertThat(gone.changes()).containsExactly("remove entry of deleted VM " + GONE);
    }

    @Test
    void aPolicyNeedingNothingElseIsWrittenForADeletedVm() throws Exception {
        start(RealTenantTest::withDeletedVmEntry);
        Report report = jitguard.reconcile(List.of(new SubscriptionScope(PROD)), new RunOptions(false, "test"));
        assertThat(vm(report, GONE).status()).isEqualTo(VmStatus.FIXED);
        // second run: nothing left to remove, nothing written
        emulator.stats();
        Report again = jitguard.reconcile(List.of(new SubscriptionScope(PROD)), new RunOptions(false, "test"));
        assertThat(again.writes()).isEmpty();
        assertThat(again.vms()).noneMatch(v -> v.id().equalsIgnoreCase(GONE));
    }

    @Test
    void aForbiddenVmGetNeverRemovesTheEntry() throws Exception {
        start(RealTenantTest::withDeletedVmEntry);
        emulator.faults().script(ScriptedFault.status("GET", "virtualMachines/vm-gone", 403, 50));
        Report report = jitguard.reconcile(List.of(new SubscriptionScope(PROD)), new RunOptions(false, "test"));

        JsonNode policy = arm.get(ArmOperation.GET_JIT_POLICY, POLICY);
        assertThat(policy.at("/properties/virtualMachines").findValuesAsText("id")).contains(GONE);
        assertThat(report.vms()).noneMatch(v -> v.id().equalsIgnoreCase(GONE));
        // not confirmed gone, so kept; the emulator (like Defender) then refuses a PUT naming it: reported, not hidden
        assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f.target()).isEqualTo(POLICY));
    }

    @Test
    void anUnregisteredSecurityProviderBlocksTheVmsAndStillFixesTheMonitoringEffect() throws Exception {
        start(e -> { });
        emulator.faults().script(ScriptedFault.status("GET", "pricings/VirtualMachines", 409, 50));
        Report report = jitguard.reconcile(List.of(new SubscriptionScope(PROD)), new RunOptions(false, "test"));

        assertThat(report.failures()).isEmpty();
        assertThat(vm(report, RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-2"))
                .satisfies(v -> assertThat(v.status()).isEqualTo(VmStatus.BLOCKED))
                .satisfies(v -> assertThat(v.reason()).contains("not registered"));
        assertThat(report.subscriptions()).singleElement()
                .satisfies(s -> assertThat(s.monitoringEffect().status()).isEqualTo(MonitoringStatus.FIXED));
        assertThat(emulator.stats().byOperation()).doesNotContainKey("PUT jitNetworkAccessPolicies");
    }

    @Test
    void aVmBehindAFirewallManagerFirewallIsUnsupported() throws Exception {
        start(e -> ((ObjectNode) resource(e, "azureFirewalls/fw-hub").path("properties"))
                .putObject("firewallPolicy").put("id", "/subscriptions/" + PROD
                        + "/resourceGroups/rg-data/providers/Microsoft.Network/firewallPolicies/fwp"));
        Report report = jitguard.reconcile(List.of(new SubscriptionScope(PROD)), new RunOptions(true, "test"));
        VmReport v = vm(report, "/subscriptions/" + PROD
                + "/resourceGroups/rg-data/providers/Microsoft.Compute/virtualMachines/vm-behind-fw");
        assertThat(v.status()).isEqualTo(VmStatus.UNSUPPORTED);
        assertThat(v.reason()).contains("Firewall Manager").contains("Rules (Classic)");
    }

    @Test
    void aResourceGroupNameWithParenthesesAndUnicodeIsEncodedOnTheWire() throws Exception {
        String rg = "rg-(prod)-é";
        start(e -> {
            ((ArrayNode) e.path("subscriptions").get(0).path("resourceGroups")).addObject()
                    .put("name", rg).put("location", "westeurope").putObject("tags");
            ObjectNode vm = resource(e, "virtualMachines/vm-web-2").deepCopy();
            ObjectNode nic = resource(e, "networkInterfaces/vm-web-2-nic").deepCopy();
            String vmId = "/subscriptions/" + PROD + "/resourceGroups/" + rg
                    + "/providers/Microsoft.Compute/virtualMachines/vm-u";
            String nicId = "/subscriptions/" + PROD + "/resourceGroups/" + rg
                    + "/providers/Microsoft.Network/networkInterfaces/vm-u-nic";
            vm.put("id", vmId).put("name", "vm-u");
            ((ObjectNode) vm.at("/properties/networkProfile/networkInterfaces/0")).put("id", nicId);
            nic.put("id", nicId).put("name", "vm-u-nic");
            ((ObjectNode) nic.at("/properties/virtualMachine")).put("id", vmId);
            ((ObjectNode) nic.at("/properties/ipConfigurations/0")).put("id", nicId + "/ipConfigurations/ipconfig1");
            resources(e).add(vm);
            resources(e).add(nic);
        });
        Report report = jitguard.reconcile(List.of(new VmScope(PROD, rg, "vm-u")), new RunOptions(false, "test"));
        assertThat(report.failures()).isEmpty();
        assertThat(report.vms()).singleElement().satisfies(v -> assertThat(v.status()).isEqualTo(VmStatus.FIXED));
        JsonNode policy = arm.get(ArmOperation.GET_JIT_POLICY, "/subscriptions/" + PROD + "/resourceGroups/" + rg
                + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default");
        assertThat(policy.at("/properties/virtualMachines/0/id").asText()).endsWith("/vm-u");
    }
}
