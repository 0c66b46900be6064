package io.jitguard.engine;

import static io.jitguard.testing.EstateEdits.resource;
import static io.jitguard.testing.EstateEdits.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.report.Exposure;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "covered means closed": the exposure of vm-web-1 (covered by rg-web/default; its NIC NSG nsg-web holds
 * Defender's four JIT deny rules at 4093-4096, its subnet snet-web has no NSG) read through the real SDK pipeline
 * from the emulator, for each way an NSG can let a management port in, or not.
 */
class ExposureTest extends EditedEstate {
    static final String SUB = "11111111-1111-1111-1111-111111111111";
    static final String RG_WEB = "/subscriptions/" + SUB + "/resourceGroups/rg-web";
    static final String VM = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-1";
    static final String NSG_WEB = RG_WEB + "/providers/Microsoft.Network/networkSecurityGroups/nsg-web";
    static final String NSG_SUBNET = RG_WEB + "/providers/Microsoft.Network/networkSecurityGroups/nsg-snet-web";

    VmReport vmWeb1(Scope scope) {
        Report report = jitguard.reconcile(List.of(scope), new RunOptions(true, "test"));
        assertThat(report.failures()).isEmpty();
        return report.vms().stream().filter(v -> v.id().equalsIgnoreCase(VM)).findFirst().orElseThrow();
    }

    VmReport vmWeb1() {
        return vmWeb1(new VmScope(SUB, "rg-web", "vm-web-1"));
    }

    // ------------------------------------------------------------------ estate edits

    static ArrayNode rules(ObjectNode estate, String nsgSuffix) {
        return (ArrayNode) resource(estate, nsgSuffix).with("properties").withArray("securityRules");
    }

    static ObjectNode rule(ArrayNode rules, String nsgId, String name, int priority, String access) {
        ObjectNode r = rules.addObject();
        r.put("id", nsgId + "/securityRules/" + name);
        r.put("name", name);
        ObjectNode p = r.putObject("properties");
        p.put("protocol", "Tcp");
        p.put("sourcePortRange", "*");
        p.put("destinationAddressPrefix", "*");
        p.put("access", access);
        p.put("priority", priority);
        p.put("direction", "Inbound");
        return p;
    }

    static void allowSshFromInternet(ArrayNode rules, String nsgId) {
        rule(rules, nsgId, "allow-ssh-from-internet", 300, "Allow").put("sourceAddressPrefix", "Internet")
                .put("destinationPortRange", "22");
    }

    /** A new NSG nsg-snet-web on subnet snet-web, with {@code rules} moved in from nsg-web when asked. */
    static ArrayNode subnetNsg(ObjectNode estate) {
        ObjectNode nsg = resources(estate).addObject();
        nsg.put("id", NSG_SUBNET).put("name", "nsg-snet-web").put("type", "Microsoft.Network/networkSecurityGroups")
                .put("location", "westeurope");
        ArrayNode rules = nsg.putObject("properties").putArray("securityRules");
        ObjectNode vnet = resource(estate, "/virtualNetworks/vnet-web");
        for (JsonNode sn : vnet.path("properties").path("subnets")) {
            if (sn.path("name").asText().equals("snet-web")) {
                ((ObjectNode) sn.path("properties")).putObject("networkSecurityGroup").put("id", NSG_SUBNET);
            }
        }
        return rules;
    }

    static void removeJitDenies(ArrayNode rules) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (rules.get(i).path("name").asText().startsWith("MicrosoftDefenderForCloud-JITRule")) {
                rules.remove(i);
            }
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void anAllowFromTheInternetAboveJitsDenyOnTheNicNsgIsExposed() throws Exception {
        start(e -> allowSshFromInternet(rules(e, "/nsg-web"), NSG_WEB));
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(vm.policyId()).endsWith("/jitNetworkAccessPolicies/default");
        assertThat(vm.exposure().ports()).containsExactly(new Exposure.Port("open", 22, NSG_WEB,
                "allow-ssh-from-internet", 300, "Internet", "MEDIUM", "0.0.0.0/0; 2000::/3",
                io.jitguard.evaluate.AddressSet.PUBLIC.size(), null));
        assertThat(vm.reason()).contains("22 open via nsg-web/allow-ssh-from-internet (300, Internet)");
        // the JSON report carries it
        JsonNode json = JSON.readTree(ReportJson.mapper().writeValueAsString(vm));
        assertThat(json.path("exposure").path("ports").get(0).path("rule").asText()).isEqualTo("allow-ssh-from-internet");
        assertThat(json.path("status").asText()).isEqualTo("exposed");
    }

    @Test
    void aPublicIpMakesItHighAndASweepFindsItToo() throws Exception {
        start(e -> {
            allowSshFromInternet(rules(e, "/nsg-web"), NSG_WEB);
            ObjectNode nic = resource(e, "/networkInterfaces/vm-web-1-nic");
            ((ObjectNode) nic.path("properties").path("ipConfigurations").get(0).path("properties"))
                    .putObject("publicIPAddress").put("id", RG_WEB + "/providers/Microsoft.Network/publicIPAddresses/pip");
        });
        assertThat(vmWeb1(new SubscriptionScope(SUB)).exposure().ports()).singleElement()
                .satisfies(p -> assertThat(p.severity()).isEqualTo("HIGH"));
        assertThat(vmWeb1(new ResourceGroupScope(SUB, "rg-web")).status()).isEqualTo(VmStatus.EXPOSED);
    }

    @Test
    void anAllowFromTheInternetAboveJitsDenyOnTheSubnetNsgIsExposed() throws Exception {
        start(e -> {
            ArrayNode subnetRules = subnetNsg(e);
            allowSshFromInternet(subnetRules, NSG_SUBNET);
            // Defender's deny rules sit on the subnet NSG; the NIC has no NSG of its own
            ArrayNode nicRules = rules(e, "/nsg-web");
            for (JsonNode r : nicRules) {
                ObjectNode copy = r.deepCopy();
                copy.put("id", NSG_SUBNET + "/securityRules/" + r.path("name").asText());
                subnetRules.add(copy);
            }
            ((ObjectNode) resource(e, "/networkInterfaces/vm-web-1-nic").path("properties")).remove("networkSecurityGroup");
        });
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(vm.exposure().ports()).singleElement().satisfies(p -> {
            assertThat(p.nsg()).isEqualTo(NSG_SUBNET);
            assertThat(p.port()).isEqualTo(22);
        });
    }

    @Test
    void theSameAllowIsNotExposureWhenTheOtherNsgOnThePathDeniesIt() throws Exception {
        start(e -> {
            allowSshFromInternet(rules(e, "/nsg-web"), NSG_WEB);
            rule(subnetNsg(e), NSG_SUBNET, "deny-ssh", 200, "Deny").put("sourceAddressPrefix", "*")
                    .put("destinationPortRange", "22");
        });
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.COMPLIANT);
        assertThat(vm.exposure()).isNull();
    }

    @Test
    void aServiceTagAndAPortRangeInThePluralFieldsAreExposure() throws Exception {
        start(e -> {
            ObjectNode p = rule(rules(e, "/nsg-web"), NSG_WEB, "allow-mgmt-from-azure", 250, "Allow");
            p.putArray("sourceAddressPrefixes").add("AzureCloud");
            p.putArray("destinationPortRanges").add("3000-4000").add("5985");
        });
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(vm.exposure().ports()).extracting(Exposure.Port::port).containsExactly(3389, 5985);
        assertThat(vm.exposure().ports()).allSatisfy(p -> assertThat(p.source()).isEqualTo("AzureCloud"));
    }

    @Test
    void anAllowFromAPrivateRangeIsNotExposure() throws Exception {
        start(e -> rule(rules(e, "/nsg-web"), NSG_WEB, "allow-ssh-from-hub", 300, "Allow")
                .put("sourceAddressPrefix", "10.0.0.0/24").put("destinationPortRange", "22"));
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.COMPLIANT);
        assertThat(vm.exposure()).isNull();
    }

    @Test
    void aPortOpenForAnActiveJitRequestIsANoteNotExposure() throws Exception {
        String end = clock.instant().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        start(e -> {
            ObjectNode p = rule(rules(e, "/nsg-web"), NSG_WEB,
                    "MicrosoftDefenderForCloud-JITRule-1234567890-0123456789ABCDEF0123456789ABCDEF", 100, "Allow");
            p.put("protocol", "*").put("sourceAddressPrefix", "*").put("destinationPortRange", "22");
            ArrayNode requests = (ArrayNode) resource(e, "/jitNetworkAccessPolicies/default").path("properties")
                    .path("requests");
            ObjectNode port = requests.addObject().putArray("virtualMachines").addObject().put("id", VM)
                    .putArray("ports").addObject();
            port.put("number", 22).put("allowedSourceAddressPrefix", "*").put("endTimeUtc", end)
                    .put("status", "Initiated").put("statusReason", "UserRequested");
        });
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.COMPLIANT);
        assertThat(vm.exposure().ports()).isEmpty();
        assertThat(vm.exposure().notes()).singleElement().asString()
                .contains("port 22 is open for an approved JIT request").contains("not exposure");
    }

    @Test
    void missingJitDenyRulesAreReportedOncePastTheGrace() throws Exception {
        start(e -> removeJitDenies(rules(e, "/nsg-web")));
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(vm.exposure().ports()).extracting(Exposure.Port::finding).containsOnly("no-jit-deny");
        assertThat(vm.exposure().ports()).extracting(Exposure.Port::port).containsExactly(22, 3389, 5985, 5986);
    }

    @Test
    void missingJitDenyRulesWithinTheGraceAreNotReported() throws Exception {
        String tenMinutesAgo = clock.instant().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        start(e -> {
            removeJitDenies(rules(e, "/nsg-web"));
            resource(e, "/jitNetworkAccessPolicies/default").putObject("systemData")
                    .put("lastModifiedAt", tenMinutesAgo);
        });
        VmReport vm = vmWeb1();
        assertThat(vm.status()).isEqualTo(VmStatus.COMPLIANT);
        assertThat(vm.exposure()).isNull();
    }

    @Test
    void exposureDoesNotStopAFixAndTheFixedVmShowsExposed() throws Exception {
        start(e -> allowSshFromInternet(rules(e, "/nsg-web"), NSG_WEB));
        Report report = jitguard.reconcile(List.of(new VmScope(SUB, "rg-web", "vm-web-2")), new RunOptions(false, "test"));
        VmReport vm = report.vms().get(0);
        assertThat(report.writes()).hasSize(1);
        assertThat(vm.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(vm.changes()).contains("add to policy default");
        assertThat(vm.exposure().ports()).extracting(Exposure.Port::port).containsExactly(22);
        // the emulator, like Defender, added deny rules for vm-web-2 below the allow: still exposed next time
        Report again = jitguard.reconcile(List.of(new VmScope(SUB, "rg-web", "vm-web-2")), new RunOptions(false, "test"));
        assertThat(again.writes()).isEmpty();
        assertThat(again.vms().get(0).status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(again.vms().get(0).exposure().ports()).extracting(Exposure.Port::finding).containsExactly("open");
    }
}
