package io.jitguard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.RunOptions;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.scope.Scope;
import java.util.List;

/**
 * Reconciles one work item of {@code jitguard-sweep}: a subscription of the nightly sweep
 * ({@code {"subscriptionId":"<guid>"}}) or a scope an Event Grid invocation handed off ({@code {"scope":"<id>"}}),
 * exactly that scope. A malformed message (or one naming a subscription outside {@code JITGUARD_SUBSCRIPTIONS}) is
 * logged and dropped; a transient failure throws, so the host makes the message
 * visible again and, after {@code maxDequeueCount} tries, moves it to {@code jitguard-sweep-poison}.
 */
public class SweepSubscription {
    static final String TRIGGER = "queue";
    private final FunctionsRuntime runtime;

    public SweepSubscription() {
        this(FunctionsRuntime.shared());
    }

    public SweepSubscription(FunctionsRuntime runtime) {
        this.runtime = runtime;
    }

    @FunctionName("SweepSubscription")
    public void run(
            @QueueTrigger(name = "message", queueName = SweepMessage.QUEUE, connection = "AzureWebJobsStorage")
            String message,
            final ExecutionContext context) {
        Decision decision = Decision.of(TRIGGER, context.getInvocationId());
        SweepMessage item;
        try {
            item = SweepMessage.parse(message);
        } catch (IllegalArgumentException e) {
            DecisionLog.write(context, decision.result(Outcomes.REJECTED, "malformed sweep message: "
                    + e.getMessage()));
            return;
        }
        Scope scope = item.scope();
        decision = decision.subject(item.subscriptionId() != null ? "/subscriptions/" + item.subscriptionId()
                : item.scopeId()).scope(scope.id());
        Jitguard jitguard = runtime.jitguard();
        try {
            jitguard.requireInScope(scope);
        } catch (OutOfScopeException e) {
            DecisionLog.write(context, decision.result(Outcomes.OUT_OF_SCOPE, e.getMessage()));
            return;
        }
        Report report = jitguard.reconcile(List.of(scope), new RunOptions(false, TRIGGER));
        DecisionLog.write(context, Outcomes.decide(decision, report, scope));
        runtime.notifier().send(report, context.getLogger());
        ScopeOutcome outcome = Outcomes.outcome(report, scope);
        switch (outcome.kind()) {
            case REQUEUE -> throw new RetryableException(outcome.reason() + "; the queue will try again");
            case CONVERGED, TERMINAL -> {
                // logged; the message is done (a terminal failure would fail the same way again)
            }
        }
    }
}
