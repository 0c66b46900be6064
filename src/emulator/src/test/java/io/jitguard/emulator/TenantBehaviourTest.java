package io.jitguard.emulator;

import static io.jitguard.emulator.EmulatorClient.json;
import static io.jitguard.emulator.EmulatorClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real-tenant behaviours, over HTTPS against src/test/resources/tenant-estate.json. */
class TenantBehaviourTest {
    static final String S = "44444444-4444-4444-4444-444444444444";
    static final String U = "55555555-5555-5555-5555-555555555555";
    static final String SUB = "/subscriptions/" + S;
    static final String RG_NAME = "rg-(prod)-é";
    /** The resource group as a client percent-encodes it. */
    static final String RG = SUB + "/resourceGroups/" + URLEncoder.encode(RG_NAME, StandardCharsets.UTF_8);
    static final String RG_ID = SUB + "/resourceGroups/" + RG_NAME;
    static final String VM = RG + "/providers/Microsoft.Compute/virtualMachines/vm-app-1";
    static final String JIT = RG + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
    static final String MCSB = SUB + "/providers/Microsoft.Authorization/policyAssignments/mcsb-v2";
    static final String PA_API = "?api-version=2025-03-01";

    ArmEmulator emulator;
    EmulatorClient client;

    @BeforeEach
    void start() {
        emulator = ArmEmulator.start(Estate.load(Path.of("src/emulator/src/test/resources/tenant-estate.json")), 0);
        client = new EmulatorClient(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private List<JsonNode> all(String path) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String next = path;
        while (next != null) {
            HttpResponse<String> r = client.get(next);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = json(r);
            page.get("value").forEach(out::add);
            next = page.hasNonNull("nextLink") ? page.get("nextLink").asText() : null;
        }
        return out;
    }

    @Test
    void percentEncodedUnicodeResourceGroupRoundTrips() throws Exception {
        assertThat(RG).contains("%28prod%29-%C3%A9");
        JsonNode rg = json(client.get(RG + "?api-version=2021-04-01"));
        assertThat(rg.get("name").asText()).isEqualTo(RG_NAME);
        JsonNode vm = json(client.get(VM + "?api-version=2024-07-01"));
        assertThat(vm.get("id").asText()).isEqualTo(RG_ID + "/providers/Microsoft.Compute/virtualMachines/vm-app-1");
        assertThat(vm.at("/properties/storageProfile/osDisk/osType").asText()).isEqualTo("Windows");
        // paging keeps the encoded path in nextLink
        assertThat(all(RG + "/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets?api-version=2024-05-01")).hasSize(1);
    }

    @Test
    void managedResourceGroupCarriesManagedBy() throws Exception {
        JsonNode rg = json(client.get(SUB + "/resourceGroups/databricks-rg-ws1?api-version=2021-04-01"));
        assertThat(rg.get("managedBy").asText()).endsWith("/providers/Microsoft.Databricks/workspaces/ws1");
        assertThat(json(client.get(RG + "?api-version=2021-04-01")).has("managedBy")).isFalse();
    }

    @Test
    void deletedVmEntriesAndVmDelete() throws Exception {
        HttpResponse<String> gone = client.get(RG + "/providers/Microsoft.Compute/virtualMachines/vm-deleted?api-version=2024-07-01");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).at("/error/code").asText()).isEqualTo("ResourceNotFound");
        JsonNode policy = json(client.get(JIT + "?api-version=2020-01-01"));
        assertThat(policy.at("/properties/virtualMachines/1/id").asText()).endsWith("/vm-deleted");

        // a PUT that keeps the deleted VM is refused, naming it
        HttpResponse<String> put = client.put(JIT + "?api-version=2020-01-01", policy);
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(json(put).at("/error/message").asText()).contains("vm-deleted").contains("was not found");

        HttpResponse<String> del = client.delete(VM + "?api-version=2024-07-01");
        assertThat(del.statusCode()).isIn(200, 202, 204);
        assertThat(client.get(VM + "?api-version=2024-07-01").statusCode()).isEqualTo(404);
        assertThat(emulator.events()).singleElement().satisfies(e -> {
            assertThat(e.get("eventType").asText()).isEqualTo("Microsoft.Resources.ResourceDeleteSuccess");
            assertThat(e.at("/data/operationName").asText()).isEqualTo("Microsoft.Compute/virtualMachines/delete");
            assertThat(e.get("subject").asText()).isEqualTo(RG_ID + "/providers/Microsoft.Compute/virtualMachines/vm-app-1");
        });
        JsonNode after = json(client.get(JIT + "?api-version=2020-01-01"));
        assertThat(after.at("/properties/virtualMachines")).hasSize(2); // JIT entries stay, as Defender leaves them
        assertThat(client.delete(VM + "?api-version=2024-07-01").statusCode()).isEqualTo(204);
    }

    @Test
    void firewallServesPolicyHubAndSkuInsideProperties() throws Exception {
        JsonNode fw = json(client.get(RG + "/providers/Microsoft.Network/azureFirewalls/fw-hub?api-version=2024-05-01"));
        assertThat(fw.at("/properties/sku/name").asText()).isEqualTo("AZFW_Hub");
        assertThat(fw.at("/properties/firewallPolicy/id").asText()).endsWith("/firewallPolicies/fwp");
        assertThat(fw.at("/properties/virtualHub/id").asText()).endsWith("/virtualHubs/hub");
        assertThat(fw.has("sku")).isFalse();
    }

    @Test
    void standardWithoutSubPlanIsTheFullPlanAndAllowsJit() throws Exception {
        JsonNode p = json(client.get(SUB + "/providers/Microsoft.Security/pricings/VirtualMachines?api-version=2024-01-01"));
        assertThat(p.at("/properties/pricingTier").asText()).isEqualTo("Standard");
        assertThat(p.at("/properties/subPlan").isMissingNode()).isTrue();
        ObjectNode body = json(client.get(JIT + "?api-version=2020-01-01")).deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.at("/properties/virtualMachines")).remove(1);
        HttpResponse<String> r = client.put(JIT + "?api-version=2020-01-01", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void unregisteredMicrosoftSecurityAnswers409OnPricingAndJit() throws Exception {
        for (String path : List.of("/subscriptions/" + U + "/providers/Microsoft.Security/pricings/VirtualMachines?api-version=2024-01-01",
                "/subscriptions/" + U + "/providers/Microsoft.Security/jitNetworkAccessPolicies?api-version=2020-01-01")) {
            HttpResponse<String> r = client.get(path);
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("MissingSubscriptionRegistration");
            assertThat(json(r).at("/error/details/0/target").asText()).isEqualTo("Microsoft.Security");
        }
        String id = "/subscriptions/" + U + "/resourceGroups/rg-u/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
        HttpResponse<String> put = client.put(id + "?api-version=2020-01-01",
                obj("{'kind':'Basic','location':'westeurope','properties':{'virtualMachines':[]}}"));
        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(emulator.resource(id)).isEmpty();
        // other namespaces are registered
        assertThat(client.get("/subscriptions/" + U + "/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void subscriptionJitListCanOmitAPolicyThatResourceGroupListsShow() throws Exception {
        String sec = "/providers/Microsoft.Security/";
        assertThat(all(SUB + sec + "jitNetworkAccessPolicies?api-version=2020-01-01"))
                .extracting(n -> n.get("name").asText()).containsExactly("default");
        assertThat(all(SUB + sec + "locations/westeurope/jitNetworkAccessPolicies?api-version=2020-01-01"))
                .extracting(n -> n.get("name").asText()).containsExactly("default");
        assertThat(all(RG + sec + "jitNetworkAccessPolicies?api-version=2020-01-01"))
                .extracting(n -> n.get("name").asText()).containsExactlyInAnyOrder("default", "hidden");
        assertThat(all(RG + sec + "locations/westeurope/jitNetworkAccessPolicies?api-version=2020-01-01"))
                .extracting(n -> n.get("name").asText()).containsExactlyInAnyOrder("default", "hidden");
        assertThat(json(client.get(RG + sec + "locations/westeurope/jitNetworkAccessPolicies/hidden?api-version=2020-01-01"))
                .has("omitFromSubscriptionList")).isFalse();
    }

    @Test
    void nsgListAndGetWithDefaultRulesAndBackReferences() throws Exception {
        List<JsonNode> nsgs = all(SUB + "/providers/Microsoft.Network/networkSecurityGroups?api-version=2024-05-01");
        assertThat(nsgs).hasSize(1);
        JsonNode nsg = json(client.get(RG + "/providers/Microsoft.Network/networkSecurityGroups/nsg-app?api-version=2024-05-01"));
        assertThat(nsgs.get(0)).isEqualTo(nsg);
        JsonNode defaults = nsg.at("/properties/defaultSecurityRules");
        assertThat(defaults).hasSize(6);
        assertThat(defaults).extracting(d -> d.get("name").asText()).containsExactly("AllowVnetInBound",
                "AllowAzureLoadBalancerInBound", "DenyAllInBound", "AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound");
        assertThat(defaults.get(2).at("/properties/priority").asInt()).isEqualTo(65500);
        assertThat(defaults.get(2).at("/properties/access").asText()).isEqualTo("Deny");
        assertThat(defaults.get(1).at("/properties/sourceAddressPrefix").asText()).isEqualTo("AzureLoadBalancer");
        JsonNode rule = nsg.at("/properties/securityRules/0/properties");
        assertThat(rule.get("protocol").asText()).isEqualTo("Tcp");
        assertThat(rule.get("destinationPortRange").asText()).isEqualTo("22");
        assertThat(rule.get("sourceAddressPrefix").asText()).isEqualTo("Internet");
        assertThat(rule.get("priority").asInt()).isEqualTo(300);
        assertThat(nsg.at("/properties/subnets/0/id").asText()).endsWith("/virtualNetworks/vnet-app/subnets/snet-app");
        assertThat(nsg.at("/properties/networkInterfaces/0/id").asText()).endsWith("/networkInterfaces/vm-app-1-nic");
        JsonNode nic = json(client.get(RG + "/providers/Microsoft.Network/networkInterfaces/vm-app-1-nic?api-version=2024-05-01"));
        assertThat(nic.at("/properties/ipConfigurations/0/properties/publicIPAddress/id").asText()).endsWith("/vm-app-1-pip");
    }

    @Test
    void policyAssignmentCurrentShapeWithExpand() throws Exception {
        JsonNode a = json(client.get(MCSB + PA_API));
        JsonNode p = a.get("properties");
        assertThat(p.get("policyDefinitionId").asText()).endsWith("e3ec7e09-768c-4b64-882c-fcada3772047");
        assertThat(p.get("definitionVersion").asText()).isEqualTo("2.*.*");
        assertThat(p.has("latestDefinitionVersion")).isFalse();
        assertThat(p.has("effectiveDefinitionVersion")).isFalse();
        assertThat(p.get("scope").asText()).isEqualTo(SUB);
        assertThat(p.get("instanceId").asText()).isNotBlank();
        assertThat(p.at("/overrides/0/selectors/0/in/0").asText()).isEqualTo("jitNetworkAccessMonitoring");
        assertThat(p.at("/overrides/0/value").asText()).isEqualTo("Disabled");
        assertThat(p.get("resourceSelectors")).isEmpty();
        assertThat(p.get("notScopes")).isEmpty();
        assertThat(p.get("enforcementMode").asText()).isEqualTo("Default");
        assertThat(a.at("/identity/principalId").asText()).isNotBlank();
        assertThat(a.at("/identity/tenantId").asText()).isEqualTo("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        assertThat(a.at("/systemData/createdAt").asText()).isNotBlank();
        JsonNode expanded = json(client.get(MCSB + PA_API + "&$expand=LatestDefinitionVersion,%20EffectiveDefinitionVersion"));
        assertThat(expanded.at("/properties/latestDefinitionVersion").asText()).isEqualTo("2.1.0");
        assertThat(expanded.at("/properties/effectiveDefinitionVersion").asText()).isEqualTo("2.1.0");
        // the old api-version still answers, without the version fields
        JsonNode old = json(client.get(MCSB + "?api-version=2022-06-01"));
        assertThat(old.at("/properties/definitionVersion").isMissingNode()).isTrue();
        assertThat(old.at("/properties/overrides/0/kind").asText()).isEqualTo("policyEffect");
    }

    @Test
    void policyAssignmentPutAt2025IgnoresReadOnlyFieldsRejectsBadOverridesAndAnswers201() throws Exception {
        JsonNode before = json(client.get(MCSB + PA_API));
        ObjectNode body = before.deepCopy();
        ObjectNode p = (ObjectNode) body.get("properties");
        p.put("scope", "/subscriptions/somewhere-else").put("instanceId", "forged").put("latestDefinitionVersion", "9.9.9");
        ((ObjectNode) body.get("identity")).put("principalId", "forged");
        p.putObject("parameters").putObject("jitNetworkAccessMonitoringEffect").put("value", "Disabled");
        HttpResponse<String> r = client.put(MCSB + PA_API, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode after = json(client.get(MCSB + PA_API + "&$expand=LatestDefinitionVersion"));
        assertThat(after.at("/properties/scope").asText()).isEqualTo(SUB);
        assertThat(after.at("/properties/instanceId").asText()).isEqualTo(before.at("/properties/instanceId").asText());
        assertThat(after.at("/properties/latestDefinitionVersion").asText()).isEqualTo("2.1.0");
        assertThat(after.at("/identity/principalId").asText()).isEqualTo(before.at("/identity/principalId").asText());
        assertThat(after.at("/properties/parameters/jitNetworkAccessMonitoringEffect/value").asText()).isEqualTo("Disabled");
        assertThat(emulator.events()).hasSize(1);

        ObjectNode stored = emulator.resource(MCSB).orElseThrow();
        for (String bad : List.of("{'kind':'policyEffect','value':'Disabled','selectors':{}}",
                "{'kind':'notAKind','value':'Disabled'}", "{'kind':'policyEffect'}",
                "{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':'subscription','in':['x']}]}")) {
            ObjectNode b = body.deepCopy();
            ((ObjectNode) b.get("properties")).putArray("overrides").add(obj(bad));
            HttpResponse<String> rejected = client.put(MCSB + PA_API, b);
            assertThat(rejected.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(rejected).at("/error/message").asText()).contains("properties.overrides[0]");
        }
        ObjectNode notArray = body.deepCopy();
        ((ObjectNode) notArray.get("properties")).putObject("overrides");
        assertThat(client.put(MCSB + PA_API, notArray).statusCode()).isEqualTo(400);
        assertThat(emulator.resource(MCSB)).contains(stored);

        String fresh = SUB + "/providers/Microsoft.Authorization/policyAssignments/new-one";
        ObjectNode create = obj("{'properties':{'policyDefinitionId':'/providers/Microsoft.Authorization/policySetDefinitions/x'}}");
        HttpResponse<String> created = client.put(fresh + PA_API, create);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).at("/properties/definitionVersion").asText()).isEqualTo("1.*.*");
        String instance = json(created).at("/properties/instanceId").asText();
        client.delete(fresh + PA_API);
        assertThat(json(client.put(fresh + PA_API, create)).at("/properties/instanceId").asText()).isNotEqualTo(instance);
    }

    @Test
    void exemptionsListPagedAndFiltered() throws Exception {
        String base = SUB + "/providers/Microsoft.Authorization/policyExemptions?api-version=2022-07-01-preview";
        List<JsonNode> all = all(base);
        assertThat(all).extracting(n -> n.get("name").asText()).containsExactlyInAnyOrder("waive-lab", "mitigated-old", "other");
        JsonNode waiver = all.stream().filter(n -> n.get("name").asText().equals("waive-lab")).findFirst().orElseThrow();
        assertThat(waiver.at("/properties/exemptionCategory").asText()).isEqualTo("Waiver");
        assertThat(waiver.at("/properties/policyDefinitionReferenceIds/0").asText()).isEqualTo("jitNetworkAccessMonitoring");
        assertThat(waiver.get("type").asText()).isEqualTo("Microsoft.Authorization/policyExemptions");
        assertThat(all(base + "&$filter=excludeExpired()")).extracting(n -> n.get("name").asText())
                .containsExactlyInAnyOrder("waive-lab", "other");
        assertThat(all(base + "&$filter=" + URLEncoder.encode("policyAssignmentId eq '" + MCSB + "' and atScope()",
                StandardCharsets.UTF_8))).extracting(n -> n.get("name").asText()).containsExactly("waive-lab");
        assertThat(client.get(base + "&$filter=nonsense()").statusCode()).isEqualTo(400);
        assertThat(client.get(SUB + "/providers/Microsoft.Authorization/policyExemptions?api-version=2024-12-01-preview")
                .statusCode()).isEqualTo(200);
        assertThat(client.get(SUB + "/providers/Microsoft.Authorization/policyExemptions?api-version=2022-06-01")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void estateRejectsBadExemptionsAndOmitFlags() {
        String head = "{'tenantId':'t','subscriptions':[{'subscriptionId':'s','resources':[";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Estate.parse((head + "{'id':'/subscriptions/s/providers/"
                + "Microsoft.Authorization/policyExemptions/x','properties':{'policyAssignmentId':'a','exemptionCategory':'Maybe'}}]}]}")
                .replace('\'', '"'))).isInstanceOf(EstateException.class).hasMessageContaining("exemptionCategory");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Estate.parse((head + "{'id':'/subscriptions/s/providers/"
                + "Microsoft.Security/pricings/VirtualMachines','omitFromSubscriptionList':true}]}]}").replace('\'', '"')))
                .isInstanceOf(EstateException.class).hasMessageContaining("only a JIT policy");
    }
}
