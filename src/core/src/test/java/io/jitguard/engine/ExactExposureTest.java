package io.jitguard.engine;

import static io.jitguard.engine.ExposureTest.NSG_SUBNET;
import static io.jitguard.engine.ExposureTest.NSG_WEB;
import static io.jitguard.engine.ExposureTest.RG_WEB;
import static io.jitguard.engine.ExposureTest.SUB;
import static io.jitguard.engine.ExposureTest.rule;
import static io.jitguard.engine.ExposureTest.rules;
import static io.jitguard.engine.ExposureTest.subnetNsg;
import static io.jitguard.testing.EstateEdits.resource;
import static io.jitguard.testing.EstateEdits.resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.report.Exposure;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import io.jitguard.baseline.Baseline;
import io.jitguard.read.ArmInventory;
import io.jitguard.scope.ResourceGroupScope;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exposure decided by the addresses a rule really matches, read through the real SDK from the emulator. In the
 * example estate vm-web-1 (A, 10.1.1.4) and vm-web-3 (B, 10.1.1.6) share the NIC NSG nsg-web, which holds Defender's
 * JIT deny rules for each of them (destination: that VM's address); both are covered by rg-web/default.
 */
class ExactExposureTest extends EditedEstate {
    static final String A = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-1";
    static final String B = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-3";
    static final String A_IP = "10.1.1.4";
    static final String B_IP = "10.1.1.6";
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String NM = RG_WEB + "/providers/Microsoft.Network/networkManagers/nm-corp";
    static final String COLLECTION = NM + "/securityAdminConfigurations/sac/ruleCollections/rc-mgmt";

    Report sweep() {
        Report report = jitguard.reconcile(List.of(new ResourceGroupScope(SUB, "rg-web")), new RunOptions(true, "test"));
        assertThat(report.failures()).isEmpty();
        return report;
    }

    static VmReport vm(Report report, String id) {
        return report.vms().stream().filter(v -> v.id().equalsIgnoreCase(id)).findFirst().orElseThrow();
    }

    static List<Exposure.Port> ports(VmReport vm) {
        return vm.exposure() == null ? List.of() : vm.exposure().ports();
    }

    static ObjectNode allowFromInternet(ArrayNode rules, String nsgId, String name, int priority) {
        return rule(rules, nsgId, name, priority, "Allow").put("sourceAddressPrefix", "Internet")
                .put("destinationPortRange", "22");
    }

    /** Defender's deny rule for one VM's address (the form it writes). */
    static void jitDeny(ArrayNode rules, String nsgId, String vm, String address, String port, int priority) {
        rule(rules, nsgId, "MicrosoftDefenderForCloud-JITRule_" + priority + "_0123456789ABCDEF0123456789ABCDEF",
                priority, "Deny").put("protocol", "*").put("sourceAddressPrefix", "*")
                .put("destinationAddressPrefix", address).put("destinationPortRange", port)
                .put("description", "MDC JIT Network Access rule for policy 'default' of VM '" + vm + "'.");
    }

    static void withoutNicNsg(ObjectNode estate, String nic) {
        ((ObjectNode) resource(estate, "/networkInterfaces/" + nic).path("properties")).remove("networkSecurityGroup");
    }

    static ObjectNode ipConfiguration(ObjectNode estate, String nic) {
        return (ObjectNode) resource(estate, "/networkInterfaces/" + nic).path("properties").path("ipConfigurations")
                .get(0).path("properties");
    }

    static void removeDenies(ArrayNode rules, String address) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            JsonNode r = rules.get(i);
            if (r.path("name").asText().startsWith("MicrosoftDefenderForCloud-JITRule")
                    && r.path("properties").path("destinationAddressPrefix").asText().equals(address)) {
                rules.remove(i);
            }
        }
    }

    @Test
    void aSharedSubnetNsgWithBsJitDenyAndAnAllowForAllDestinationsExposesAButNotB() throws Exception {
        start(e -> {
            withoutNicNsg(e, "vm-web-1-nic");
            withoutNicNsg(e, "vm-web-3-nic");
            ArrayNode shared = subnetNsg(e);
            jitDeny(shared, NSG_SUBNET, "vm-web-3", B_IP, "22", 200);
            allowFromInternet(shared, NSG_SUBNET, "allow-ssh-from-internet", 300);
        });
        Report report = sweep();
        VmReport a = vm(report, A);
        assertThat(a.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(ports(a)).filteredOn(p -> p.port() == 22).singleElement().satisfies(p -> {
            assertThat(p.finding()).isEqualTo("open");
            assertThat(p.nsg()).isEqualTo(NSG_SUBNET);
            assertThat(p.rule()).isEqualTo("allow-ssh-from-internet");
            assertThat(p.priority()).isEqualTo(300);
        });
        assertThat(ports(vm(report, B))).noneMatch(p -> p.port() == 22);
    }

    @Test
    void aVmWhoseOwnJitDenyRulesAreGoneIsReportedWhileAnotherVmsRemain() throws Exception {
        start(e -> removeDenies(rules(e, "/nsg-web"), A_IP));
        Report report = sweep();
        VmReport a = vm(report, A);
        assertThat(a.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(ports(a)).extracting(Exposure.Port::port).containsExactly(22, 3389, 5985, 5986);
        assertThat(ports(a)).allSatisfy(p -> {
            assertThat(p.finding()).isEqualTo("no-jit-deny");
            assertThat(p.severity()).isEqualTo("LOW");
            assertThat(p.sources()).isEqualTo("AzureLoadBalancer, VirtualNetwork");
        });
        assertThat(a.reason()).contains("internal only: JIT deny rule missing");
        assertThat(vm(report, B).exposure()).isNull();
    }

    /** Approves a request for {@code vm}'s port 22 from anywhere, for an hour, through the emulator's initiate action. */
    void approveSshFromAnywhere(String vm) throws Exception {
        String body = "{\"virtualMachines\":[{\"id\":\"" + vm + "\",\"ports\":[{\"number\":22,"
                + "\"allowedSourceAddressPrefix\":\"*\",\"endTimeUtc\":\"" + NOW.plusSeconds(3600) + "\"}]}]}";
        String url = emulator.endpoint() + RG_WEB.substring(1)
                + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default/initiate"
                + "?api-version=2020-01-01";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer test-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /** A's report: compliant, no exposure; B's: no exposed port, its open request a note. */
    static void assertRequestNotesBAndLeavesAClosed(Report report) {
        assertThat(vm(report, A).status()).isEqualTo(VmStatus.COMPLIANT);
        assertThat(vm(report, A).exposure()).isNull();
        VmReport b = vm(report, B);
        assertThat(ports(b)).isEmpty();
        assertThat(b.exposure().notes()).anySatisfy(n -> assertThat(n).contains("port 22 is open for an approved JIT request"));
    }

    @Test
    void anotherVmsApprovedRequestRuleDoesNotExposeThisVm() throws Exception {
        clock = Clock.fixed(NOW, ZoneOffset.UTC);
        start(e -> { });
        approveSshFromAnywhere(B);
        assertRequestNotesBAndLeavesAClosed(sweep());
    }

    @Test
    void anotherVmsApprovedRequestInASharedSubnetNsgDoesNotExposeThisVm() throws Exception {
        clock = Clock.fixed(NOW, ZoneOffset.UTC);
        start(e -> {
            withoutNicNsg(e, "vm-web-1-nic");
            withoutNicNsg(e, "vm-web-3-nic");
            ArrayNode shared = subnetNsg(e);
            int priority = 4096;
            for (JsonNode vm : resource(e, "/jitNetworkAccessPolicies/default").path("properties").path("virtualMachines")) {
                String id = vm.path("id").asText();
                if (id.equalsIgnoreCase(A) || id.equalsIgnoreCase(B)) {
                    for (JsonNode port : vm.path("ports")) {
                        jitDeny(shared, NSG_SUBNET, id.substring(id.lastIndexOf('/') + 1), id.equalsIgnoreCase(A)
                                ? A_IP : B_IP, port.path("number").asText(), priority--);
                    }
                }
            }
        });
        approveSshFromAnywhere(B);
        assertThat(emulator.resource(NSG_SUBNET).orElseThrow().path("properties").path("securityRules"))
                .anySatisfy(r -> {
                    assertThat(r.path("properties").path("access").asText()).isEqualTo("Allow");
                    assertThat(r.path("properties").path("destinationAddressPrefix").asText()).isEqualTo(B_IP);
                });
        assertRequestNotesBAndLeavesAClosed(sweep());
    }

    @Test
    void aDenyOfOneBlockAboveAnAllowOfTheInternetLeavesTheRestOpen() throws Exception {
        start(e -> {
            rule(rules(e, "/nsg-web"), NSG_WEB, "deny-one-block", 200, "Deny").put("sourceAddressPrefix", "1.0.0.0/8")
                    .put("destinationPortRange", "22");
            allowFromInternet(rules(e, "/nsg-web"), NSG_WEB, "allow-ssh-from-internet", 300);
        });
        VmReport a = vm(sweep(), A);
        assertThat(a.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(ports(a)).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo("allow-ssh-from-internet");
            assertThat(p.block()).isEqualTo("0.0.0.0/0 minus 1.0.0.0/8; 2000::/3");
        });
        assertThat(a.reason()).contains("from 0.0.0.0/0 minus 1.0.0.0/8");
    }

    @Test
    void anAllowOfAPrivateLookingSlash7HoldsAPublicSlash8() throws Exception {
        start(e -> rule(rules(e, "/nsg-web"), NSG_WEB, "allow-ssh-from-hubs", 300, "Allow")
                .put("sourceAddressPrefix", "10.0.0.0/7").put("destinationPortRange", "22"));
        VmReport a = vm(sweep(), A);
        assertThat(a.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(ports(a)).singleElement().satisfies(p -> {
            assertThat(p.block()).isEqualTo("11.0.0.0/8");
            assertThat(p.addresses()).isEqualTo(BigInteger.valueOf(1L << 24));
        });
    }

    @Test
    void anAllowWhoseDestinationIsAnotherVmsAddressDoesNotExposeThisVm() throws Exception {
        start(e -> allowFromInternet(rules(e, "/nsg-web"), NSG_WEB, "allow-ssh-to-web-2", 300)
                .put("destinationAddressPrefix", "10.1.1.5"));
        Report report = sweep();
        assertThat(vm(report, A).status()).isEqualTo(VmStatus.COMPLIANT);
        assertThat(ports(vm(report, RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-2")))
                .extracting(Exposure.Port::rule).containsExactly("allow-ssh-to-web-2");
    }

    @Test
    void anAsgDestinationOpensTheNicsInItOnly() throws Exception {
        String asgWeb = RG_WEB + "/providers/Microsoft.Network/applicationSecurityGroups/asg-web";
        String asgOther = RG_WEB + "/providers/Microsoft.Network/applicationSecurityGroups/asg-other";
        start(e -> {
            ipConfiguration(e, "vm-web-1-nic").putArray("applicationSecurityGroups").addObject().put("id", asgWeb);
            ObjectNode toWeb = allowFromInternet(rules(e, "/nsg-web"), NSG_WEB, "allow-ssh-to-asg-web", 300);
            toWeb.remove("destinationAddressPrefix");
            toWeb.putArray("destinationApplicationSecurityGroups").addObject().put("id", asgWeb);
            ObjectNode toOther = rule(rules(e, "/nsg-web"), NSG_WEB, "allow-rdp-to-asg-other", 310, "Allow")
                    .put("sourceAddressPrefix", "Internet").put("destinationPortRange", "3389");
            toOther.remove("destinationAddressPrefix");
            toOther.putArray("destinationApplicationSecurityGroups").addObject().put("id", asgOther);
        });
        VmReport a = vm(sweep(), A);
        assertThat(ports(a)).extracting(Exposure.Port::rule).containsExactly("allow-ssh-to-asg-web");
    }

    @Test
    void anIpv6AddressIsEvaluatedOnItsOwn() throws Exception {
        start(e -> {
            ArrayNode configs = (ArrayNode) resource(e, "/networkInterfaces/vm-web-1-nic").path("properties")
                    .path("ipConfigurations");
            ObjectNode v6 = configs.addObject();
            v6.put("name", "ipconfig-v6");
            v6.put("id", configs.get(0).path("id").asText().replaceAll("[^/]+$", "ipconfig-v6"));
            v6.putObject("properties").put("privateIPAddress", "fd00:1:1::4").put("privateIPAddressVersion", "IPv6")
                    .set("subnet", configs.get(0).path("properties").path("subnet").deepCopy());
            rule(rules(e, "/nsg-web"), NSG_WEB, "deny-2000-4", 200, "Deny").put("sourceAddressPrefix", "2000::/4")
                    .put("destinationPortRange", "22");
            rule(rules(e, "/nsg-web"), NSG_WEB, "allow-v6-ssh", 300, "Allow").put("sourceAddressPrefix", "::/0")
                    .put("destinationAddressPrefix", "fd00:1:1::/64").put("destinationPortRange", "22");
        });
        VmReport a = vm(sweep(), A);
        assertThat(a.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(ports(a)).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo("allow-v6-ssh");
            assertThat(p.block()).isEqualTo("3000::/4");
        });
    }

    /** A network manager whose rule collection applies to a network group holding vnet-web, with one admin rule. */
    static void adminRule(ObjectNode estate, String access) {
        ArrayNode r = resources(estate);
        r.addObject().put("id", NM).put("location", "westeurope").putObject("properties");
        r.addObject().put("id", NM + "/networkGroups/ng-web").putObject("properties");
        r.addObject().put("id", NM + "/networkGroups/ng-web/staticMembers/vnet-web").putObject("properties")
                .put("resourceId", RG_WEB + "/providers/Microsoft.Network/virtualNetworks/vnet-web");
        r.addObject().put("id", NM + "/securityAdminConfigurations/sac").putObject("properties");
        r.addObject().put("id", COLLECTION).putObject("properties").putArray("appliesToGroups").addObject()
                .put("networkGroupId", NM + "/networkGroups/ng-web");
        ObjectNode p = r.addObject().put("id", COLLECTION + "/rules/ssh-from-internet").put("kind", "Custom")
                .putObject("properties");
        p.put("access", access).put("priority", 10).put("direction", "Inbound").put("protocol", "Tcp");
        p.putArray("sources").addObject().put("addressPrefix", "Internet").put("addressPrefixType", "ServiceTag");
        p.putArray("destinations").addObject().put("addressPrefix", "*").put("addressPrefixType", "IPPrefix");
        p.putArray("sourcePortRanges").add("0-65535");
        p.putArray("destinationPortRanges").add("22");
    }

    @Test
    void anAvnmAlwaysAllowRuleOverridesTheNsgsJitDeny() throws Exception {
        start(e -> adminRule(e, "AlwaysAllow"));
        VmReport a = vm(sweep(), A);
        assertThat(a.status()).isEqualTo(VmStatus.EXPOSED);
        assertThat(ports(a)).singleElement().satisfies(p -> {
            assertThat(p.nsg()).isEqualTo(COLLECTION);
            assertThat(p.rule()).isEqualTo("ssh-from-internet");
            assertThat(p.priority()).isEqualTo(10);
        });
    }

    @Test
    void anAvnmDenyRuleStopsWhatTheNsgAllows() throws Exception {
        start(e -> {
            adminRule(e, "Deny");
            allowFromInternet(rules(e, "/nsg-web"), NSG_WEB, "allow-ssh-from-internet", 300);
        });
        VmReport a = vm(sweep(), A);
        assertThat(a.status()).isEqualTo(VmStatus.COMPLIANT);
        assertThat(a.exposure()).isNull();
    }

    @Test
    void aLoneVmIsFixedBeforeItsNsgsAndAdminRulesAreReadAndIsJudgedOnThemAfter() throws Exception {
        start(e -> adminRule(e, "AlwaysAllow"));
        String vm = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-2";
        java.util.Map<RunPhases.Phase, java.util.Map<String, Long>> seen = new java.util.EnumMap<>(RunPhases.Phase.class);
        Reconciler engine = new Reconciler(new ArmInventory(arm, clock), arm, Baseline.defaults(),
                new InProcessPolicyLocks(), clock, 1, phase -> seen.put(phase, emulator.stats().byOperation()));

        Report report = engine.reconcile(List.of(io.jitguard.scope.Scopes.parse(vm)), new RunOptions(false, "test"));

        assertThat(report.failures()).isEmpty();
        assertThat(report.writes()).singleElement().asString().containsIgnoringCase("/rg-web/");
        // nothing exposure reads went out before the write; both went out after it
        assertThat(seen.get(RunPhases.Phase.WRITE)).doesNotContainKeys("GET networkSecurityGroups",
                "POST listnetworkmanagereffectivesecurityadminrules");
        assertThat(seen.get(RunPhases.Phase.EXPOSURE)).doesNotContainKeys("GET networkSecurityGroups",
                "POST listnetworkmanagereffectivesecurityadminrules");
        assertThat(seen.get(RunPhases.Phase.DONE)).containsKeys("GET networkSecurityGroups",
                "POST listnetworkmanagereffectivesecurityadminrules");
        VmReport fixed = vm(report, vm);
        assertThat(ports(fixed)).singleElement().satisfies(p -> {
            assertThat(p.nsg()).isEqualTo(COLLECTION);
            assertThat(p.rule()).isEqualTo("ssh-from-internet");
        });
    }

    @Test
    void aResourceGroupsAdminRulesAreReadAfterItsWritesAreQueuedNotBeforeAndStillJudgeItsVms() throws Exception {
        start(e -> adminRule(e, "AlwaysAllow"));
        for (int parallelism : new int[] {1, 4}) {
            emulator.stats().reset();
            java.util.Map<RunPhases.Phase, java.util.Map<String, Long>> seen = new java.util.EnumMap<>(
                    RunPhases.Phase.class);
            Reconciler engine = new Reconciler(new ArmInventory(arm, clock), arm, Baseline.defaults(),
                    new InProcessPolicyLocks(), clock, parallelism, phase -> seen.put(phase,
                    emulator.stats().byOperation()));

            Report report = engine.reconcile(List.of(new ResourceGroupScope(SUB, "rg-web")),
                    new RunOptions(true, "test"));

            assertThat(report.failures()).isEmpty();
            assertThat(seen.get(RunPhases.Phase.WRITE)).as("parallelism " + parallelism)
                    .doesNotContainKey("POST listnetworkmanagereffectivesecurityadminrules");
            assertThat(seen.get(RunPhases.Phase.DONE)).as("parallelism " + parallelism)
                    .containsEntry("POST listnetworkmanagereffectivesecurityadminrules", 1L);
            assertThat(ports(vm(report, A))).singleElement().satisfies(p -> assertThat(p.nsg()).isEqualTo(COLLECTION));
        }
    }

    @Test
    void aLoneVmWhoseNsgCannotBeReadAfterItsWriteIsStillFixedAndSaysExposureWasNotJudged() throws Exception {
        start(e -> allowFromInternet(rules(e, "/nsg-web"), NSG_WEB, "allow-ssh-from-internet", 300));
        String vm = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-2";
        emulator.faults().script(io.jitguard.emulator.FaultPlan.ScriptedFault.status("GET", "networkSecurityGroups", 500, 10));

        Report report = new Reconciler(new ArmInventory(arm, clock), arm, Baseline.defaults(),
                new InProcessPolicyLocks(), clock).reconcile(List.of(io.jitguard.scope.Scopes.parse(vm)),
                new RunOptions(false, "test"));

        assertThat(report.writes()).hasSize(1);
        VmReport fixed = vm(report, vm);
        assertThat(fixed.status()).isEqualTo(VmStatus.FIXED);
        assertThat(ports(fixed)).isEmpty();
        assertThat(fixed.exposure().notes()).anySatisfy(n -> assertThat(n).contains("nsg-web was not read"));
    }

    @Test
    void aLoneVmThatCannotBeCoveredHasNoExposureReadAfterwards() throws Exception {
        start(e -> ((ObjectNode) resource(e, SUB + "/providers/Microsoft.Security/pricings/VirtualMachines")
                .path("properties")).put("pricingTier", "Free").remove("subPlan"));
        String vm = RG_WEB + "/providers/Microsoft.Compute/virtualMachines/vm-web-2";

        Report report = new Reconciler(new ArmInventory(arm, clock), arm, Baseline.defaults(),
                new InProcessPolicyLocks(), clock).reconcile(List.of(io.jitguard.scope.Scopes.parse(vm)),
                new RunOptions(false, "test"));

        assertThat(vm(report, vm).status()).isEqualTo(VmStatus.BLOCKED); // no Defender for Servers Plan 2
        assertThat(report.writes()).isEmpty();
        // a VM no check lets through to exposure costs no NSG or admin-rule read
        assertThat(emulator.stats().byOperation()).doesNotContainKeys("GET networkSecurityGroups",
                "POST listnetworkmanagereffectivesecurityadminrules");
    }
}
