package io.jitguard.emulator;

import static io.jitguard.emulator.EmulatorClient.json;
import static io.jitguard.emulator.EmulatorClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shapes of an assignment's overrides and resource selectors the assignment structure docs allow, and a JIT policy
 * PUT naming a VM that does not exist: refused with 400 naming what was wrong, nothing stored.
 */
class AssignmentShapeTest {
    static final String SUB = "/subscriptions/44444444-4444-4444-4444-444444444444";
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

    ObjectNode assignmentWith(String field, String json) throws Exception {
        ObjectNode body = (ObjectNode) json(client.get(MCSB + PA_API));
        ((ObjectNode) body.get("properties")).set(field, obj("{'v':" + json + "}").get("v"));
        return body;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[{'kind':'policyEffect','value':'Disabled'}]",
            "[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':'policyDefinitionReferenceId',"
                    + "'notIn':['jitNetworkAccessMonitoring']}]}]",
            "[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':'resourceLocation','in':['eastus']},"
                    + "{'kind':'policyDefinitionReferenceId','in':['x']}]}]"})
    void overridesTheDocsAllowAreStored(String overrides) throws Exception {
        HttpResponse<String> r = client.put(MCSB + PA_API, assignmentWith("overrides", overrides));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        assertThat(emulator.resource(MCSB).orElseThrow().at("/properties/overrides").toString().replace('"', '\''))
                .isEqualTo(overrides);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "overrides|[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':'policyDefinitionReferenceId',"
                    + "'in':['a'],'notIn':['b']}]}]|in can't be used with notIn",
            "overrides|[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':'resourceType','in':['a']}]}]"
                    + "|kind must be one of policyDefinitionReferenceId, resourceLocation",
            "overrides|[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':"
                    + "'policyDefinitionReferenceId'}]}]|one of in or notIn is required",
            "resourceSelectors|[{'name':'a','selectors':[{'kind':'policyDefinitionReferenceId','in':['a']}]}]"
                    + "|kind must be one of resourceLocation, resourceType, resourceWithoutLocation",
            "resourceSelectors|[{'name':'a','selectors':[{'kind':'resourceLocation','in':['eastus']},{'kind':"
                    + "'resourceWithoutLocation','in':['subscriptionLevelResources']}]}]"
                    + "|resourceLocation can't be used with resourceWithoutLocation",
            "resourceSelectors|[{'name':'a','selectors':[{'kind':'resourceType','in':['a']},{'kind':'resourceType',"
                    + "'notIn':['b']}]}]|kind resourceType is used more than once"})
    void shapesTheDocsForbidAreRefusedWithTheReason(String testCase) throws Exception {
        String[] parts = testCase.split("\\|");
        JsonNode before = emulator.resource(MCSB).orElseThrow();
        HttpResponse<String> r = client.put(MCSB + PA_API, assignmentWith(parts[0], parts[1]));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/error/message").asText()).contains("properties." + parts[0]).contains(parts[2]);
        assertThat(emulator.resource(MCSB)).contains((ObjectNode) before);
    }

    @Test
    void elevenOverridesAreTooMany() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("{'kind':'policyEffect','value':'Audit','selectors':[{'kind':"
                    + "'policyDefinitionReferenceId','in':['p").append(i).append("']}]}");
        }
        HttpResponse<String> r = client.put(MCSB + PA_API, assignmentWith("overrides", many.append("]").toString()));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/message").asText()).contains("at most 10");
    }

    @Test
    void aJitPolicyNamingAVmThatDoesNotExistIsRefusedWithTheVmNamed() throws Exception {
        String rg = SUB + "/resourceGroups/rg-%28prod%29-%C3%A9";
        String policy = rg + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
        HttpResponse<String> before = client.get(policy + "?api-version=2020-01-01");
        String gone = SUB + "/resourceGroups/rg-(prod)-é/providers/Microsoft.Compute/virtualMachines/vm-gone";
        ObjectNode body = obj("{'kind':'Basic','location':'westeurope','properties':{'virtualMachines':[{'id':'"
                + gone + "','ports':[{'number':22,'protocol':'*','allowedSourceAddressPrefix':'*',"
                + "'maxRequestAccessDuration':'PT3H'}]}]}}");
        HttpResponse<String> r = client.put(policy + "?api-version=2020-01-01", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/error/message").asText()).contains(gone).contains("not found");
        assertThat(client.get(policy + "?api-version=2020-01-01").body()).isEqualTo(before.body());
    }
}
