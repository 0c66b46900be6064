package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.jitguard.arm.ArmException;
import io.jitguard.azure.SelfIdentity;
import io.jitguard.engine.Jitguard;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.RunOptions;
import io.jitguard.events.EventBatch;
import io.jitguard.events.EventRouter;
import io.jitguard.events.InvalidEventException;
import io.jitguard.events.RoutedEvent;
import io.jitguard.report.Report;
import io.jitguard.scope.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Events of the Azure subscription system topic (Event Grid schema, or CloudEvents), routed exactly as the CLI's
 * {@code handle-event}: each event is a hint naming a scope, the scopes of a delivery are reconciled together.
 *
 * <p>Time: the engine retries ARM as {@link io.jitguard.azure.ArmOptions#EVENT_GRID} says, the reconcile has a
 * deadline ({@link FunctionsRuntime#eventRunBudget()}, 20 s) after which it starts nothing new and reports the rest as
 * retryable {@code TimeBudgetExhausted} failures, and {@link Budget#within} ({@link FunctionsRuntime#eventSafetyNet()},
 * 25 s) is only the outer safety net.
 *
 * <p>Outcome contract (Event Grid waits 30 s and redelivers on a failure): a transient failure (throttling, 5xx past
 * the retry budget, the time budget spent) throws, so the event comes again; a permanent one (malformed event, 403,
 * blocked, unsupported, out of scope) is logged and the function returns, so it is not redelivered for 24 hours.
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
    public void run(@EventGridTrigger(name = "event") String event, final ExecutionContext context) {
        Decision start = Decision.of(TRIGGER, context.getInvocationId());
        EventBatch batch;
        try {
            batch = EventRouter.parse(event);
        } catch (InvalidEventException e) {
            DecisionLog.write(context, start.result(Outcomes.REJECTED, "malformed event: " + e.getMessage()));
            return;
        }
        EventClaims claims = EventClaims.of(event);
        SelfIdentity self = runtime.self();
        Jitguard jitguard = runtime.eventJitguard();

        List<Decision> pending = new ArrayList<>();
        List<Scope> scopes = new ArrayList<>();
        for (RoutedEvent e : batch.events()) {
            JsonNode eventClaims = claims.claims(e.index());
            String actor = EventClaims.actor(eventClaims);
            Decision decision = start.event(e.eventId(), e.eventType(), e.operationName(),
                    actor != null ? actor : e.actor(), e.subject());
            if (e.scope().isEmpty()) {
                DecisionLog.write(context, decision.result(Outcomes.IGNORED, e.ignoredReason().orElse(null)));
                continue;
            }
            Scope scope = e.scope().get();
            decision = decision.scope(scope.id());
            if (self.matches(eventClaims)) {
                DecisionLog.write(context, decision.result(Outcomes.SELF, "raised by jitguard's own write"));
                continue;
            }
            try {
                jitguard.requireInScope(scope);
            } catch (OutOfScopeException oos) {
                DecisionLog.write(context, decision.result(Outcomes.OUT_OF_SCOPE, oos.getMessage()));
                continue;
            }
            pending.add(decision);
            scopes.add(scope);
        }
        if (scopes.isEmpty()) {
            return;
        }

        Report report;
        try {
            RunOptions options = new RunOptions(false, TRIGGER).withBudget(runtime.eventRunBudget(), clock);
            report = Budget.within(runtime.eventSafetyNet(), () -> jitguard.reconcile(scopes, options));
        } catch (RetryableException e) {
            pending.forEach(d -> DecisionLog.write(context, d.result(Outcomes.TRANSIENT_FAILURE, e.getMessage())));
            throw e;
        } catch (ArmException e) {
            String reason = "ARM answered " + e.status() + " " + e.code() + ": " + e.getMessage();
            if (e.isTransient()) {
                pending.forEach(d -> DecisionLog.write(context, d.result(Outcomes.TRANSIENT_FAILURE, reason)));
                throw new RetryableException(reason, e);
            }
            pending.forEach(d -> DecisionLog.write(context, d.result(Outcomes.FAILED, reason)));
            return;
        }
        for (int i = 0; i < pending.size(); i++) {
            DecisionLog.write(context, Outcomes.decide(pending.get(i), report, scopes.get(i)));
        }
        if (Outcomes.retry(report)) {
            throw new RetryableException(Outcomes.retryReason(report) + "; asking Event Grid to redeliver");
        }
    }
}
