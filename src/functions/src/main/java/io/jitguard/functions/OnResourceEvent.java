package io.jitguard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import io.jitguard.azure.SelfIdentity;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.RunOptions;
import io.jitguard.events.EventBatch;
import io.jitguard.events.EventRouter;
import io.jitguard.events.InvalidEventException;
import io.jitguard.events.RoutedEvent;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.baseline.SettingsException;
import io.jitguard.engine.Refusals;
import io.jitguard.scope.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Events of the Azure subscription system topic (Event Grid schema, or CloudEvents), routed exactly as the CLI's
 * {@code handle-event}: each event is a hint naming a scope, the scopes of a delivery are reconciled together.
 *
 * <p>Time: the engine retries ARM as {@link io.jitguard.azure.ArmOptions#EVENT_GRID} says, the reconcile has a
 * deadline ({@link FunctionsRuntime#eventRunBudget()}, 20 s) after which it starts nothing new and reports the rest as
 * retryable {@code TimeBudgetExhausted} failures, and {@link Budget#within} ({@link FunctionsRuntime#eventSafetyNet()},
 * 25 s) is only the outer safety net.
 *
 * <p>Outcome contract (Event Grid waits 30 s and redelivers on a failure), one {@code switch} on each scope's
 * {@link ScopeOutcome} ({@link #act}): a requeued scope (throttling, 5xx past the retry budget, lock unavailable, the
 * time budget spent) is handed off to the {@code jitguard-sweep} queue as {@code {"scope": "<id>"}}
 * ({@link SweepSubscription} has minutes, not seconds) and the function returns ({@code handed-off}); it throws, so
 * Event Grid redelivers, only when it cannot hand off (no output binding) or the settings are invalid (the queue run
 * would fail the same way). Anything else (malformed event, out of scope, not found, a permanent failure such as 403,
 * converged) is logged and the function returns, so it is not redelivered for 24 hours.
 * Events raised by jitguard's own writes are recognised from {@code data.claims} and cost no ARM call.
 */
public class OnResourceEvent {
    static final String TRIGGER = "event-grid";
    private final FunctionsRuntime runtime;
    private final Clock clock;

    public OnResourceEvent() {
        this(FunctionsRuntime.shared());
    }

    public OnResourceEvent(FunctionsRuntime runtime) {
        this(runtime, Clock.systemUTC());
    }

    OnResourceEvent(FunctionsRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
    }

    @FunctionName("OnResourceEvent")
    public void run(@EventGridTrigger(name = "event") String event,
                    @QueueOutput(name = "handoff", queueName = "jitguard-sweep", connection = "AzureWebJobsStorage")
                    OutputBinding<List<String>> handoff,
                    final ExecutionContext context) {
        Decision start = Decision.of(TRIGGER, context.getInvocationId());
        EventBatch batch;
        try {
            batch = EventRouter.parse(event);
        } catch (InvalidEventException e) {
            ScopeOutcome rejected = ScopeOutcome.Rejected.input("malformed event: " + e.getMessage());
            act(context, start.ended(rejected), rejected);
            return;
        }
        SelfIdentity self = runtime.self();
        Jitguard jitguard;
        try {
            jitguard = runtime.eventJitguard();
        } catch (SettingsException e) {
            ScopeOutcome rejected = Refusals.of(e);
            act(context, start.ended(rejected), rejected);
            return;
        }

        List<Decision> pending = new ArrayList<>();
        List<Scope> scopes = new ArrayList<>();
        Map<Scope, java.time.Instant> driftStarts = new LinkedHashMap<>();
        for (RoutedEvent e : batch.events()) {
            Decision decision = start.event(e.eventId(), e.eventType(), e.operationName(), e.claims().describe(),
                    e.subject());
            if (e.scope().isEmpty()) {
                DecisionLog.write(context, decision.result(Decision.IGNORED, e.ignoredReason().orElse(null)));
                continue;
            }
            Scope scope = e.scope().get();
            decision = decision.scope(scope.id());
            if (self.isActor(e.claims())) {
                DecisionLog.write(context, decision.result(Decision.SELF, "raised by jitguard's own write"));
                continue;
            }
            try {
                jitguard.requireInScope(scope);
            } catch (OutOfScopeException oos) {
                ScopeOutcome outOfScope = Refusals.of(oos);
                act(context, decision.ended(outOfScope), outOfScope);
                continue;
            }
            pending.add(decision);
            scopes.add(scope);
            if (e.time() != null) {
                driftStarts.merge(scope, e.time(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        if (scopes.isEmpty()) {
            return;
        }

        Map<String, ScopeOutcome> outcomes;
        Report report = null;
        try {
            RunOptions options = new RunOptions(false, TRIGGER).withBudget(runtime.eventRunBudget(), clock)
                    .withDriftStarts(driftStarts);
            report = Budget.within(runtime.eventSafetyNet(), () -> jitguard.reconcile(scopes, options));
            outcomes = ScopeOutcomes.of(report, scopes);
        } catch (RetryableException e) {
            // The safety net: nothing is known about what finished, so every scope is requeued.
            ScopeOutcome all = new ScopeOutcome.Requeue(e.getMessage(), null);
            outcomes = new LinkedHashMap<>();
            for (Scope scope : scopes) {
                outcomes.put(scope.id(), all);
            }
        }
        if (report != null) {
            runtime.notifier().send(report, context.getLogger());
        }
        List<Decision> unfinished = new ArrayList<>();
        List<Scope> unfinishedScopes = new ArrayList<>();
        String retryReason = null;
        for (int i = 0; i < pending.size(); i++) {
            Scope scope = scopes.get(i);
            ScopeOutcome outcome = outcomes.get(scope.id());
            Decision d = report == null ? pending.get(i).ended(outcome)
                    : Findings.describe(pending.get(i), report, scope, outcome);
            if (act(context, d, outcome)) {
                unfinished.add(d);
                unfinishedScopes.add(scope);
                retryReason = retryReason == null ? outcome.reason() : retryReason;
            }
        }
        if (!unfinished.isEmpty()) {
            handOff(context, handoff, unfinished, unfinishedScopes, retryReason);
        }
    }

    /**
     * The one switch of the Event Grid trigger, from a scope's outcome to what happens to it: logged and done, or
     * (true) to be handed off to the queue, which logs it. Invalid settings are logged and thrown, so Event Grid
     * redelivers once they are mended.
     */
    static boolean act(ExecutionContext context, Decision decision, ScopeOutcome outcome) {
        return switch (outcome.kind()) {
            case REJECTED -> {
                DecisionLog.write(context, decision);
                if (((ScopeOutcome.Rejected) outcome).source() == ScopeOutcome.Rejected.Source.SETTINGS) {
                    throw new RetryableException(outcome.reason() + "; asking Event Grid to redeliver");
                }
                yield false;
            }
            case OUT_OF_SCOPE, NOT_FOUND, CONVERGED, TERMINAL -> {
                DecisionLog.write(context, decision);
                yield false;
            }
            case REQUEUE -> true;
        };
    }

    /**
     * Enqueues one {@code {"scope": "<id>"}} per distinct requeued scope on {@code jitguard-sweep} and logs each
     * decision as {@code handed-off}; without an output binding (nothing to hand off to) logs them as they are
     * ({@code transient-failure}) and throws, so Event Grid redelivers.
     */
    private static void handOff(ExecutionContext context, OutputBinding<List<String>> handoff, List<Decision> decisions,
                                List<Scope> scopes, String reason) {
        Map<String, String> messages = new LinkedHashMap<>();
        try {
            for (Scope scope : scopes) {
                messages.putIfAbsent(scope.id().toLowerCase(Locale.ROOT), SweepMessage.of(scope).toJson());
            }
        } catch (IllegalArgumentException e) {
            messages = null;
        }
        if (handoff == null || messages == null) {
            decisions.forEach(d -> DecisionLog.write(context, d));
            throw new RetryableException(reason + "; asking Event Grid to redeliver");
        }
        handoff.setValue(new ArrayList<>(messages.values()));
        for (Decision d : decisions) {
            DecisionLog.write(context, d.outcome(d.finding(), d.action(), Decision.HANDED_OFF,
                    d.reason() + "; handed off to " + SweepMessage.QUEUE));
        }
        context.getLogger().info("jitguard: handed off " + messages.size() + " scope(s) to " + SweepMessage.QUEUE
                + ": " + reason);
    }
}
