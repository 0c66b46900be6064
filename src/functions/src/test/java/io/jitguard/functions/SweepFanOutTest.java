package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.binding;
import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.testing.Azurite;

import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.ExecutionContext;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.events.RoutedOperations;
import io.jitguard.arm.Arm;
import io.jitguard.azure.ArmConnection;
import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.BlobLeasePolicyLocks;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.jitguard.baseline.BaselineSettings;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.RunOptions;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The nightly fan-out for real: {@link NightlySweep} enqueues on a real queue (Azurite), and the queue is drained the
 * way the Functions host drains it (base64 messages as host.json says, retried until {@code maxDequeueCount}, then
 * moved to {@code <queue>-poison}) into {@link SweepSubscription}, with policy locks as blob leases in Azurite.
 */
@ExtendWith(Azurite.class)
class SweepFanOutTest extends EmulatedEstate {
    static final String TIMER_INFO = "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,"
            + "\"IsPastDue\":false}";

    QueueClient queue;
    QueueClient poison;
    int maxDequeueCount;
    List<ExecutionContext> invocations = new ArrayList<>();

    @BeforeEach
    void storage() throws IOException {
        env.put("AzureWebJobsStorage", Azurite.connectionString());
        JsonNode host = JSON.readTree(Files.readString(Path.of("host.json")));
        maxDequeueCount = host.path("extensions").path("queues").path("maxDequeueCount").asInt();
        assertThat(host.path("extensions").path("queues").path("messageEncoding").asText()).isEqualTo("base64");
        // a queue of this test's own: other runs on the same Azurite (a second build, a developer's) never take its messages
        String name = SweepMessage.QUEUE + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        queue = client(name);
        poison = client(name + "-poison");
        for (QueueClient q : List.of(queue, poison)) {
            q.createIfNotExists();
            q.clearMessages();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void dropQueues() {
        queue.deleteIfExists();
        poison.deleteIfExists();
    }

    static QueueClient client(String name) {
        return new QueueClientBuilder().connectionString(Azurite.connectionString()).queueName(name)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    /** The timer runs; the host writes its output binding to the queue. */
    List<String> timer(FunctionsRuntime runtime) {
        OutputBinding<List<String>> items = binding();
        ExecutionContext context = context("NightlySweep");
        new NightlySweep(runtime).run(TIMER_INFO, items, context);
        invocations.add(context);
        sent(items).forEach(queue::sendMessage);
        return sent(items);
    }

    /** The host's queue listener: invoke per message; delete on success; retry, then poison, on a throw. */
    void drain(FunctionsRuntime runtime) {
        SweepSubscription function = new SweepSubscription(runtime);
        for (int round = 0; round < 50 && queue.getProperties().getApproximateMessagesCount() > 0; round++) {
            for (QueueMessageItem message : queue.receiveMessages(32, Duration.ofSeconds(30), null, null)) {
                ExecutionContext context = context("SweepSubscription");
                invocations.add(context);
                try {
                    function.run(message.getBody().toString(), context);
                    queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                } catch (RuntimeException e) {
                    if (message.getDequeueCount() >= maxDequeueCount) {
                        poison.sendMessage(message.getBody());
                        queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                    } else {
                        queue.updateMessage(message.getMessageId(), message.getPopReceipt(), null, Duration.ZERO);
                    }
                }
            }
        }
    }

    List<JsonNode> decisions(String trigger) {
        return invocations.stream().flatMap(c -> FunctionMocks.decisions(c).stream())
                .filter(d -> d.path("trigger").asText().equals(trigger)).toList();
    }

    @Test
    void theTimerEnqueuesOneItemPerSubscriptionAndTheItemsReconcileEverySubscription() {
        FunctionsRuntime runtime = runtime();

        List<String> items = timer(runtime);

        assertThat(items).containsExactlyInAnyOrder("{\"subscriptionId\":\"" + PROD + "\"}",
                "{\"subscriptionId\":\"" + DEV + "\"}", "{\"subscriptionId\":\"" + SHARED + "\"}");
        assertThat(queue.getProperties().getApproximateMessagesCount()).isEqualTo(3);
        assertThat(decisions("timer")).hasSize(3).allSatisfy(d ->
                assertThat(d.path("result").asText()).isEqualTo("enqueued"));
        assertThat(emulator.stats().writes()).isZero();

        drain(runtime);

        assertThat(queue.getProperties().getApproximateMessagesCount()).isZero();
        assertThat(poison.getProperties().getApproximateMessagesCount()).isZero();
        assertThat(decisions("queue")).extracting(d -> d.path("scope").asText())
                .containsExactlyInAnyOrder("/subscriptions/" + PROD, "/subscriptions/" + DEV,
                        "/subscriptions/" + SHARED);
        assertThat(ports(resource(POLICY), "vm-web-2")).hasSize(4);
        assertThat(resource(ASSIGNMENT).path("properties").path("parameters").path("jitNetworkAccessMonitoringEffect")
                .path("value").asText()).isEqualTo("AuditIfNotExists");

        List<Scope> all = List.of(new SubscriptionScope(PROD), new SubscriptionScope(DEV),
                new SubscriptionScope(SHARED));
        Report after = runtime.jitguard().reconcile(all, new RunOptions(true, "test:after"));
        assertThat(after.plannedWrites()).as("nothing left to fix after the fan-out").isEmpty();
        assertThat(new BlobServiceClientBuilder().connectionString(Azurite.connectionString()).buildClient()
                .getBlobContainerClient(BlobLeasePolicyLocks.CONTAINER).exists())
                .as("policy writes were serialised through blob leases in AzureWebJobsStorage").isTrue();
    }

    @Test
    void theTimerEnqueuesOnlyTheConfiguredSubscriptions() {
        env.put("JITGUARD_SUBSCRIPTIONS", DEV + "," + SHARED);
        assertThat(timer(runtime())).containsExactlyInAnyOrder("{\"subscriptionId\":\"" + DEV + "\"}",
                "{\"subscriptionId\":\"" + SHARED + "\"}");
        assertThat(emulator.stats().byOperation()).as("the configured list needs no ARM call; Resource Graph sizes"
                + " the night in one query").isEqualTo(java.util.Map.of("POST resourceGraph", 1L));
    }

    @Test
    void aSubscriptionThatKeepsFailingIsRetriedThenPoisonedWhileTheOthersComplete() {
        emulator.faults().script(List.of(ScriptedFault.of("GET", "/subscriptions/" + DEV + "/", "503", 10_000)));
        FunctionsRuntime fast = FunctionsRuntime.of(() -> withoutArmRetries(env));

        timer(fast);
        drain(fast);

        assertThat(queue.getProperties().getApproximateMessagesCount()).isZero();
        List<String> poisoned = poison.receiveMessages(32).stream().map(m -> m.getBody().toString()).toList();
        assertThat(poisoned).containsExactly("{\"subscriptionId\":\"" + DEV + "\"}");
        List<JsonNode> dev = decisions("queue").stream()
                .filter(d -> d.path("scope").asText().equals("/subscriptions/" + DEV)).toList();
        assertThat(dev).hasSize(maxDequeueCount)
                .allSatisfy(d -> assertThat(d.path("result").asText()).isEqualTo("transient-failure"));
        assertThat(ports(resource(POLICY), "vm-web-2")).hasSize(4);
    }

    @Test
    void aMalformedMessageIsLoggedAndDropped() {
        for (String bad : List.of("not json", "{\"subscriptionId\":\"nope\"}", "[]",
                "{\"subscriptionId\":\"" + PROD + "\",\"extra\":1}")) {
            queue.sendMessage(bad);
        }

        drain(runtime());

        assertThat(queue.getProperties().getApproximateMessagesCount()).isZero();
        assertThat(poison.getProperties().getApproximateMessagesCount()).isZero();
        assertThat(decisions("queue")).hasSize(4).allSatisfy(d -> {
            assertThat(d.path("result").asText()).isEqualTo("rejected");
            assertThat(d.path("reason").asText()).startsWith("malformed sweep message");
        });
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void aMessageForASubscriptionOutOfScopeIsDropped() {
        env.put("JITGUARD_SUBSCRIPTIONS", DEV);
        queue.sendMessage(new SweepMessage(PROD).toJson());

        drain(runtime());

        assertThat(queue.getProperties().getApproximateMessagesCount()).isZero();
        assertThat(decisions("queue")).singleElement()
                .satisfies(d -> assertThat(d.path("result").asText()).isEqualTo("out-of-scope"));
        assertThat(emulator.stats().reads()).isZero();
    }

    @Test
    void scopesAnEventRunHandsOffAreReconciledFromTheQueue() {
        FunctionsRuntime runtime = runtime();
        emulator.deleteResource(POLICY);
        ObjectNode assignment = emulator.resource(ASSIGNMENT).orElseThrow();
        ((ObjectNode) assignment.with("properties").with("parameters"))
                .putObject("jitNetworkAccessMonitoringEffect").put("value", "Disabled");
        emulator.putResource(assignment);
        ArrayNode batch = JSON.createArrayNode();
        batch.add(event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE, OnResourceEventTest.WRITE, person()));
        batch.add(event(POLICY, RoutedOperations.JIT_POLICY_DELETE, OnResourceEventTest.DELETE, person()));
        batch.add(event(ASSIGNMENT, RoutedOperations.ASSIGNMENT_WRITE, OnResourceEventTest.WRITE, person()));

        // The event run's budget is spent before it starts (its clock is a minute behind): it reads nothing and
        // hands every scope to the queue instead of blocking or asking Event Grid to redeliver.
        OutputBinding<List<String>> handoff = binding();
        ExecutionContext event = context("OnResourceEvent");
        invocations.add(event);
        new OnResourceEvent(runtime(CLOCK), Clock.offset(CLOCK, Duration.ofMinutes(-1)))
                .run(batch.toString(), handoff, event);
        assertThat(emulator.stats().reads()).isZero();
        assertThat(decisions("event-grid")).hasSize(3)
                .allSatisfy(d -> assertThat(d.path("result").asText()).isEqualTo("handed-off"));
        String location = RG_WEB + "/providers/Microsoft.Security/locations/westeurope";
        assertThat(sent(handoff)).containsExactly("{\"scope\":\"" + vmId("rg-web", "vm-web-2") + "\"}",
                "{\"scope\":\"" + location + "\"}", "{\"scope\":\"" + ASSIGNMENT + "\"}");

        sent(handoff).forEach(queue::sendMessage); // what the host does with the output binding
        drain(runtime);

        assertThat(queue.getProperties().getApproximateMessagesCount()).isZero();
        assertThat(poison.getProperties().getApproximateMessagesCount()).isZero();
        List<JsonNode> queued = decisions("queue");
        assertThat(queued).extracting(d -> d.path("scope").asText())
                .containsExactlyInAnyOrder(vmId("rg-web", "vm-web-2"), location, ASSIGNMENT);
        assertThat(queued).allSatisfy(d -> assertThat(d.path("result").asText()).isIn("fixed", "compliant"));
        JsonNode policy = resource(POLICY);
        assertThat(ports(policy, "vm-web-1")).isNotEmpty();
        assertThat(ports(policy, "vm-web-2")).hasSize(4);
        assertThat(resource(ASSIGNMENT).path("properties").path("parameters").path("jitNetworkAccessMonitoringEffect")
                .path("value").asText()).isEqualTo("AuditIfNotExists");
        Report after = runtime.jitguard().reconcile(List.of(io.jitguard.scope.Scopes.parse(location)),
                new RunOptions(true, "test:after"));
        assertThat(after.plannedWrites()).as("the handed-off scopes are fully reconciled").isEmpty();
    }

    @Test
    void aScopeMessageReconcilesExactlyThatScope() {
        queue.sendMessage(SweepMessage.of(io.jitguard.scope.Scopes.parse(vmId("rg-web", "vm-web-2"))).toJson());

        drain(runtime());

        assertThat(decisions("queue")).singleElement().satisfies(d -> {
            assertThat(d.path("scope").asText()).isEqualTo(vmId("rg-web", "vm-web-2"));
            assertThat(d.path("result").asText()).isEqualTo("fixed");
        });
        assertThat(ports(resource(POLICY), "vm-web-2")).hasSize(4);
        assertThat(emulator.stats().writes()).isEqualTo(1);
        assertThat(resource(ASSIGNMENT).path("properties").path("parameters").path("jitNetworkAccessMonitoringEffect")
                .path("value").asText()).as("the subscription's monitoring effect is not this scope's")
                .isNotEqualTo("AuditIfNotExists");
    }

    static Jitguard withoutArmRetries(java.util.Map<String, String> env) {
        Arm arm = ArmConnection.fromSettings(env, new ArmOptions(0, Duration.ofSeconds(5), false));
        return new Jitguard(BaselineSettings.parse(env), arm, new ArmInventory(arm, CLOCK), new InProcessPolicyLocks(),
                CLOCK);
    }
}
