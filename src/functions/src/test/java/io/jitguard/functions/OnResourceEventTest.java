package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.binding;
import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.decisions;
import static io.jitguard.functions.FunctionMocks.levels;
import static io.jitguard.functions.FunctionMocks.onlyDecision;
import static io.jitguard.functions.FunctionMocks.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.ExecutionContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.azure.SelfIdentity;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.events.RoutedOperations;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** {@link OnResourceEvent} invoked as the worker does, on real event payloads, against the emulator over HTTPS. */
class OnResourceEventTest extends EmulatedEstate {
    static final String WRITE = "Microsoft.Resources.ResourceWriteSuccess";
    static final String DELETE = "Microsoft.Resources.ResourceDeleteSuccess";

    ExecutionContext context = context("OnResourceEvent");
    OutputBinding<List<String>> handoff = binding();

    void deliver(String body) {
        new OnResourceEvent(runtime()).run(body, handoff, context);
    }

    List<String> handedOff() {
        return sent(handoff) == null ? List.of() : sent(handoff);
    }

    static String scopeMessage(String id) {
        return "{\"scope\":\"" + id + "\"}";
    }

    @Test
    void aVmWriteByAPersonIsFixedAndTheDecisionNamesWhoAndWhat() {
        ObjectNode event = event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person());

        deliver(event.toString());

        assertThat(ports(resource(POLICY), "vm-web-2")).contains("22/*/PT3H", "3389/*/PT3H", "5985/*/PT3H",
                "5986/*/PT3H");
        assertThat(emulator.stats().writes()).isEqualTo(1);
        JsonNode d = onlyDecision(context);
        assertThat(d.path("trigger").asText()).isEqualTo("event-grid");
        assertThat(d.path("invocationId").asText()).isEqualTo(context.getInvocationId());
        assertThat(d.path("eventId").asText()).isEqualTo(event.path("id").asText());
        assertThat(d.path("eventType").asText()).isEqualTo(WRITE);
        assertThat(d.path("operation").asText()).isEqualTo(RoutedOperations.VM_WRITE);
        assertThat(d.path("actor").asText()).isEqualTo(
                "Dana Operator / dana@contoso.example / c44b4083-3bb0-49c1-b47d-974e53cbdf3c");
        assertThat(d.path("subject").asText()).isEqualTo(vmId("rg-web", "vm-web-2"));
        assertThat(d.path("scope").asText()).isEqualTo(vmId("rg-web", "vm-web-2"));
        assertThat(d.path("finding").asText()).contains("vm-web-2 fixed");
        assertThat(d.path("action").asText()).isEqualTo("wrote 1: rg-web/default");
        assertThat(d.path("result").asText()).isEqualTo("fixed");
    }

    @Test
    void aTagWriteOnAVmReconcilesThatVmAtOnce() {
        env.put("JITGUARD_TAG_EXCLUSIONS", "on");
        String vm = vmId("rg-web", "vm-web-excluded");
        assertThat(ports(resource(POLICY), "vm-web-excluded")).as("not covered before").isEmpty();

        deliver(event(vm + "/providers/Microsoft.Resources/tags/default", RoutedOperations.TAGS_WRITE, WRITE,
                person()).toString());

        assertThat(ports(resource(POLICY), "vm-web-excluded")).as("its tag (true) is refused: the VM is enforced")
                .contains("22/*/PT3H", "3389/*/PT3H");
        JsonNode d = onlyDecision(context);
        assertThat(d.path("operation").asText()).isEqualTo(RoutedOperations.TAGS_WRITE);
        assertThat(d.path("scope").asText()).isEqualTo(vm);
        assertThat(d.path("result").asText()).isEqualTo("fixed");
    }

    @Test
    void aCloudEventIsRoutedTheSameWay() {
        ObjectNode event = cloudEvent(vmId("rg-web", "vm-web-3"), RoutedOperations.VM_WRITE, WRITE, person());

        deliver(event.toString());

        assertThat(ports(resource(POLICY), "vm-web-3")).contains("3389/*/PT3H", "5985/*/PT3H", "5986/*/PT3H");
        JsonNode d = onlyDecision(context);
        assertThat(d.path("eventId").asText()).isEqualTo(event.path("id").asText());
        assertThat(d.path("result").asText()).isEqualTo("fixed");
        assertThat(d.path("actor").asText()).startsWith("Dana Operator");
    }

    @Test
    void aDeletedJitPolicyIsWrittenAgainWithItsVms() {
        emulator.deleteResource(POLICY);
        ObjectNode event = event(POLICY, RoutedOperations.JIT_POLICY_DELETE, DELETE, person());

        deliver(event.toString());

        JsonNode policy = resource(POLICY);
        assertThat(ports(policy, "vm-web-1")).isNotEmpty();
        assertThat(ports(policy, "vm-web-2")).hasSize(4);
        JsonNode d = onlyDecision(context);
        assertThat(d.path("eventType").asText()).isEqualTo(DELETE);
        assertThat(d.path("operation").asText()).isEqualTo(RoutedOperations.JIT_POLICY_DELETE);
        assertThat(d.path("scope").asText()).isEqualTo(RG_WEB + "/providers/Microsoft.Security/locations/westeurope");
        assertThat(d.path("result").asText()).isEqualTo("fixed");
    }

    @Test
    void aDisabledMonitoringEffectIsSetBack() {
        ObjectNode assignment = emulator.resource(ASSIGNMENT).orElseThrow();
        ((ObjectNode) assignment.with("properties").with("parameters"))
                .putObject("jitNetworkAccessMonitoringEffect").put("value", "Disabled");
        emulator.putResource(assignment);

        deliver(event(ASSIGNMENT, RoutedOperations.ASSIGNMENT_WRITE, WRITE, person()).toString());

        assertThat(resource(ASSIGNMENT).path("properties").path("parameters").path("jitNetworkAccessMonitoringEffect")
                .path("value").asText()).isEqualTo("AuditIfNotExists");
        JsonNode d = onlyDecision(context);
        assertThat(d.path("finding").asText()).contains("monitoring effect fixed (Disabled -> AuditIfNotExists)");
        assertThat(d.path("result").asText()).isEqualTo("fixed");
    }

    @Test
    void aBatchOfEventsOnOnePolicyCostsOneWriteAndOneDecisionEach() {
        ArrayNode batch = JSON.createArrayNode();
        batch.add(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()));
        batch.add(cloudEvent(vmId("rg-web", "vm-web-3"), RoutedOperations.VM_WRITE, WRITE, person()));
        batch.add(event(POLICY, RoutedOperations.JIT_POLICY_WRITE, WRITE, person()));

        deliver(batch.toString());

        assertThat(emulator.events()).filteredOn(e -> e.path("subject").asText().equalsIgnoreCase(POLICY))
                .as("PUTs of the policy all three events touch").hasSize(1);
        assertThat(decisions(context)).hasSize(3)
                .allSatisfy(d -> assertThat(d.path("result").asText()).isIn("fixed", "compliant"));
    }

    @Test
    void eventsRaisedByJitguardsOwnWritesAreSelfAndCostNoArmCall() {
        deliver(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()).toString());
        List<ObjectNode> own = emulator.events();
        assertThat(own).isNotEmpty();
        assertThat(own.get(0).path("data").path("claims").path("oid").asText()).isEqualTo(SELF_OID);
        long reads = emulator.stats().reads();
        long writes = emulator.stats().writes();

        ExecutionContext replay = context("OnResourceEvent");
        new OnResourceEvent(runtime()).run(JSON.valueToTree(own).toString(), handoff, replay);

        assertThat(emulator.stats().reads()).isEqualTo(reads);
        assertThat(emulator.stats().writes()).isEqualTo(writes);
        assertThat(decisions(replay)).hasSize(own.size())
                .allSatisfy(d -> assertThat(d.path("result").asText()).isEqualTo("self"));
    }

    @Test
    void anEventByAnotherIdentityOfTheSameAppIdIsNotTakenForSelfWhenItsObjectIdDiffers() {
        Map<String, Object> other = Map.of("appid", SELF_APPID, OID_CLAIM, "11112222-3333-4444-5555-666677778888");
        deliver(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, other).toString());

        assertThat(onlyDecision(context).path("result").asText()).isEqualTo("fixed");
    }

    @Test
    void aMalformedEventIsLoggedAndNotRedelivered() {
        deliver("{\"id\": \"1\", \"eventType\": ");

        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("rejected");
        assertThat(d.path("reason").asText()).startsWith("malformed event");
        assertThat(levels(context)).contains(Level.WARNING);
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void anEventOfAnotherOperationIsIgnoredWithoutArmCalls() {
        String storage = RG_WEB + "/providers/Microsoft.Storage/storageAccounts/st1";
        deliver(event(storage, "Microsoft.Storage/storageAccounts/write", WRITE, person()).toString());

        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("ignored");
        assertThat(d.path("reason").asText()).contains("not routed");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void anEventOutsideTheConfiguredSubscriptionsIsNotReconciled() {
        env.put("JITGUARD_SUBSCRIPTIONS", SHARED);
        deliver(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()).toString());

        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("out-of-scope");
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void aPermanentRefusalIsLoggedAndTheFunctionReturns() {
        emulator.faults().script(List.of(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 403, 10)));

        deliver(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()).toString());

        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("failed");
        assertThat(d.path("reason").asText()).contains("403");
    }

    @Test
    void throttlingBeyondTheRetryBudgetHandsTheScopeOff() {
        emulator.faults().script(List.of(ScriptedFault.of("GET", "virtualMachines", "429", 100)));

        deliver(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()).toString());

        assertThat(handedOff()).containsExactly(scopeMessage(vmId("rg-web", "vm-web-2")));
        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("handed-off");
        assertThat(d.path("reason").asText()).contains("429").endsWith("handed off to jitguard-sweep");
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void throttlingWithNowhereToHandOffThrowsSoEventGridRedelivers() {
        emulator.faults().script(List.of(ScriptedFault.of("GET", "virtualMachines", "429", 100)));

        assertThatThrownBy(() -> new OnResourceEvent(runtime()).run(event(vmId("rg-web", "vm-web-2"),
                RoutedOperations.VM_WRITE, WRITE, person()).toString(), null, context))
                .isInstanceOf(RetryableException.class).hasMessageContaining("429")
                .hasMessageContaining("asking Event Grid to redeliver");

        assertThat(onlyDecision(context).path("result").asText()).isEqualTo("transient-failure");
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aSpentRunBudgetStopsTheReconcileCleanlyAndHandsTheScopeOff() {
        emulator.faults().slowMs(400).kinds("slow").rate(1.0);
        FunctionsRuntime base = runtime();
        FunctionsRuntime tight = FunctionsRuntime.of(base::eventJitguard, base::self, Duration.ofSeconds(1),
                FunctionsRuntime.DEFAULT_EVENT_SAFETY_NET);

        new OnResourceEvent(tight).run(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE,
                person()).toString(), handoff, context);

        assertThat(handedOff()).containsExactly(scopeMessage(vmId("rg-web", "vm-web-2")));
        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("handed-off");
        assertThat(d.path("reason").asText()).contains("TimeBudgetExhausted");
        assertThat(emulator.stats().reads()).as("the scope was read before the deadline passed").isPositive();
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void aDeadlineAlreadyPassedCostsNoArmCallAndHandsEveryDistinctScopeOff() {
        // the invocation's clock is a minute behind the engine's: the deadline it sets has passed before the run starts
        Clock late = Clock.offset(CLOCK, Duration.ofMinutes(-1));
        ArrayNode batch = JSON.createArrayNode();
        batch.add(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()));
        batch.add(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE, person()));
        batch.add(event(POLICY, RoutedOperations.JIT_POLICY_DELETE, DELETE, person()));
        batch.add(event(ASSIGNMENT, RoutedOperations.ASSIGNMENT_WRITE, WRITE, person()));

        new OnResourceEvent(runtime(CLOCK), late).run(batch.toString(), handoff, context);

        assertThat(emulator.stats().reads()).isZero();
        assertThat(emulator.stats().writes()).isZero();
        assertThat(handedOff()).containsExactly(scopeMessage(vmId("rg-web", "vm-web-2")),
                scopeMessage(RG_WEB + "/providers/Microsoft.Security/locations/westeurope"),
                scopeMessage(ASSIGNMENT));
        assertThat(decisions(context)).hasSize(4).allSatisfy(d -> {
            assertThat(d.path("result").asText()).isEqualTo("handed-off");
            assertThat(d.path("reason").asText()).contains("TimeBudgetExhausted");
        });
    }

    @Test
    void theEventEngineUsesTheEventGridRetryBudget() {
        assertThat(FunctionsRuntime.EVENT_ARM_OPTIONS).isEqualTo(io.jitguard.azure.ArmOptions.EVENT_GRID);
        assertThat(FunctionsRuntime.DEFAULT_EVENT_RUN_BUDGET.plus(FunctionsRuntime.EVENT_ARM_OPTIONS.callTimeout()))
                .as("run budget + one call in flight").isLessThan(Duration.ofSeconds(30));
        assertThat(FunctionsRuntime.DEFAULT_EVENT_SAFETY_NET).isGreaterThan(FunctionsRuntime.DEFAULT_EVENT_RUN_BUDGET)
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aReconcileThatOutrunsTheSafetyNetIsStoppedAndHandedOffBeforeEventGridGivesUp() {
        emulator.faults().slowMs(1500).kinds("slow").rate(1.0);
        FunctionsRuntime base = runtime();
        FunctionsRuntime tight = FunctionsRuntime.of(base::eventJitguard, base::self, Duration.ofSeconds(20),
                Duration.ofSeconds(1));

        new OnResourceEvent(tight).run(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE,
                person()).toString(), handoff, context);

        assertThat(handedOff()).containsExactly(scopeMessage(vmId("rg-web", "vm-web-2")));
        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("handed-off");
        assertThat(d.path("reason").asText()).contains("did not finish within 1 s");
    }

    @Test
    void invalidSettingsFailTheInvocationSoTheEventComesBackOnceFixed() {
        env.put("JITGUARD_PORTS", "22,abc");
        assertThatThrownBy(() -> deliver(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, WRITE,
                person()).toString())).hasMessageContaining("JITGUARD_PORTS");
        assertThat(emulator.stats().reads()).isZero();
        assertThat(handedOff()).as("nothing to hand off: the queue run would fail the same way").isEmpty();
    }

    @Test
    void withAnUnknownIdentityEveryEventIsReconciledAndOwnWritesConvergeToNothing() {
        FunctionsRuntime base = runtime();
        FunctionsRuntime anonymous = FunctionsRuntime.of(base::eventJitguard, SelfIdentity::unknown);
        new OnResourceEvent(anonymous).run(event(POLICY, RoutedOperations.JIT_POLICY_WRITE, WRITE,
                person()).toString(), handoff, context);
        assertThat(emulator.stats().writes()).isPositive();
        long writes = emulator.stats().writes();

        ExecutionContext replay = context("OnResourceEvent");
        new OnResourceEvent(anonymous).run(JSON.valueToTree(emulator.events()).toString(), handoff, replay);

        assertThat(emulator.stats().writes()).isEqualTo(writes);
        assertThat(decisions(replay)).allSatisfy(d -> assertThat(d.path("result").asText()).isEqualTo("compliant"));
    }

}
