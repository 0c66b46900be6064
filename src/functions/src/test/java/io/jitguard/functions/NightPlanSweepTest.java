package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.binding;
import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.sent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The night planned with Resource Graph, against the emulator: the timer asks Resource Graph (through the SDK, over
 * HTTPS) how many VMs each subscription and resource group holds and sizes the work items; each item then reads ARM.
 * The example estate plus an empty subscription: PROD holds 9 VMs (rg-web 5, rg-data 3, rg-lab 1), DEV and SHARED 1.
 */
class NightPlanSweepTest extends EmulatedEstate {
    static final String EMPTY = "44444444-4444-4444-8444-444444444444";
    static final String MONITORING = "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";

    final List<ExecutionContext> invocations = new ArrayList<>();

    @BeforeEach
    void estateWithAnEmptySubscription() throws IOException {
        emulator.close();
        ObjectNode estate = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/estate.json")));
        ObjectNode empty = ((ArrayNode) estate.get("subscriptions")).addObject();
        empty.put("subscriptionId", EMPTY).put("displayName", "empty");
        empty.putArray("resourceGroups").addObject().put("name", "rg-nothing").put("location", "westeurope")
                .putObject("tags");
        empty.putArray("resources");
        emulator = ArmEmulator.start(Estate.parse(estate.toString()), 0);
        env.put("JITGUARD_ARM_ENDPOINT", emulator.endpoint());
    }

    List<String> timer(FunctionsRuntime runtime) {
        OutputBinding<List<String>> items = binding();
        ExecutionContext context = context("NightlySweep");
        invocations.add(context);
        new NightlySweep(runtime).run(SweepFanOutTest.TIMER_INFO, items, context);
        return sent(items);
    }

    List<JsonNode> run(FunctionsRuntime runtime, String message) {
        ExecutionContext context = context("SweepSubscription");
        invocations.add(context);
        new SweepSubscription(runtime).run(message, context);
        return FunctionMocks.decisions(context);
    }

    @Test
    void aSubscriptionOverTheThresholdIsSplitIntoItsResourceGroupsAndARemainder() {
        env.put("JITGUARD_SPLIT_THRESHOLD", "5");

        List<String> items = timer(runtime());

        assertThat(items).containsExactly(
                scopeItem("/subscriptions/" + PROD + "/resourceGroups/rg-data"),
                scopeItem("/subscriptions/" + PROD + "/resourceGroups/rg-lab"),
                scopeItem("/subscriptions/" + PROD + "/resourceGroups/rg-web"),
                "{\"subscriptionId\":\"" + PROD + "\",\"except\":[\"rg-data\",\"rg-lab\",\"rg-web\"]}",
                "{\"subscriptionId\":\"" + DEV + "\"}",
                "{\"subscriptionId\":\"" + SHARED + "\"}",
                scopeItem("/subscriptions/" + EMPTY + MONITORING));
        assertThat(FunctionMocks.lines(invocations.get(0)))
                .anySatisfy(l -> assertThat(l).contains("subscription " + PROD + " split: 9 VMs in 3 resource group"));
        assertThat(emulator.events()).as("nothing written to ARM").isEmpty();
    }

    @Test
    void underTheDefaultThresholdEverySubscriptionWithVmsIsOneItemAndAnEmptyOneIsMonitoringOnly() {
        List<String> items = timer(runtime());

        assertThat(items).containsExactly("{\"subscriptionId\":\"" + PROD + "\"}",
                "{\"subscriptionId\":\"" + DEV + "\"}", "{\"subscriptionId\":\"" + SHARED + "\"}",
                scopeItem("/subscriptions/" + EMPTY + MONITORING));

        emulator.stats().reset();
        List<JsonNode> empty = run(runtime(), items.get(3));
        assertThat(empty).singleElement().satisfies(d -> {
            assertThat(d.path("scope").asText()).isEqualTo("/subscriptions/" + EMPTY + MONITORING);
            assertThat(d.path("found").asText()).doesNotContain("VM");
        });
        assertThat(emulator.stats().byOperation().keySet()).as("a monitoring-only item reads no VM")
                .noneMatch(op -> op.toLowerCase(java.util.Locale.ROOT).contains("virtualmachines"))
                .anyMatch(op -> op.toLowerCase(java.util.Locale.ROOT).contains("policyassignments"));
    }

    @Test
    void theRemainderReconcilesAResourceGroupCreatedAfterTheQueryAndLeavesTheNamedOnesToTheirItems() {
        env.put("JITGUARD_SPLIT_THRESHOLD", "5");
        FunctionsRuntime runtime = runtime();
        List<String> items = timer(runtime);
        String remainder = items.stream().filter(i -> i.contains("except")).findFirst().orElseThrow();

        emulator.putResourceGroup(PROD, "rg-late", "westeurope");
        ObjectNode vm = resource(vmId(PROD, "rg-web", "vm-web-2")).deepCopy();
        String lateVm = vmId(PROD, "rg-late", "vm-late-1");
        vm.put("id", lateVm).put("name", "vm-late-1");
        emulator.putResource(vm);

        List<JsonNode> decisions = run(runtime, remainder);

        assertThat(decisions).extracting(d -> d.path("scope").asText()).containsExactlyInAnyOrder(
                "/subscriptions/" + PROD + MONITORING,
                "/subscriptions/" + PROD + "/resourceGroups/rg-late",
                "/subscriptions/" + PROD + "/resourceGroups/rg-legacy");
        JsonNode late = decisions.stream().filter(d -> d.path("scope").asText().endsWith("/rg-late")).findFirst()
                .orElseThrow();
        assertThat(late.path("action").asText()).startsWith("wrote 1");
        assertThat(emulator.resource("/subscriptions/" + PROD + "/resourceGroups/rg-late/providers/Microsoft.Security"
                + "/locations/westeurope/jitNetworkAccessPolicies/default")).isPresent()
                .get().satisfies(p -> assertThat(p.toString()).contains("vm-late-1"));
        assertThat(ports(resource(POLICY), "vm-web-2")).as("rg-web is its own item's").isEmpty();
    }

    @Test
    void whenResourceGraphFailsTheNightFallsBackToOneItemPerSubscriptionAndSaysWhy() {
        env.put("JITGUARD_SPLIT_THRESHOLD", "5");
        emulator.faults().script(ScriptedFault.status("POST", "Microsoft.ResourceGraph", 403, 1));

        List<String> items = timer(runtime());

        assertThat(items).containsExactly("{\"subscriptionId\":\"" + PROD + "\"}",
                "{\"subscriptionId\":\"" + DEV + "\"}", "{\"subscriptionId\":\"" + SHARED + "\"}",
                "{\"subscriptionId\":\"" + EMPTY + "\"}");
        ExecutionContext timer = invocations.get(0);
        assertThat(FunctionMocks.levels(timer)).contains(Level.WARNING);
        assertThat(FunctionMocks.lines(timer)).anySatisfy(l -> assertThat(l)
                .contains("Resource Graph could not size the night, so one work item per subscription")
                .contains("403"));
    }

    static String scopeItem(String id) {
        return "{\"scope\":\"" + id + "\"}";
    }
}
