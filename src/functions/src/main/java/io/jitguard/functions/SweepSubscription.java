package io.jitguard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.jitguard.arm.ArmException;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.RunOptions;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.baseline.SettingsException;
import io.jitguard.engine.Refusals;
import io.jitguard.scope.Scope;
import java.util.List;

/**
 * Reconciles one work item of {@code jitguard-sweep}: a subscription of the nightly sweep
 * ({@code {"subscriptionId":"<guid>"}}) or a scope an Event Grid invocation handed off ({@code {"scope":"<id>"}}),
 * exactly that scope. The scope's {@link ScopeOutcome} decides, in one {@code switch} ({@link #act}): a requeued scope
 * throws, so the host makes the message visible again and, after {@code maxDequeueCount} tries, moves it to
 * {@code jitguard-sweep-poison}; so do invalid settings (the run would fail the same way until they are mended);
 * everything else (a malformed message, a subscription outside {@code JITGUARD_SUBSCRIPTIONS}, a scope that does not
 * exist, converged, a permanent failure) is logged and the message is done.
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
            ScopeOutcome rejected = ScopeOutcome.Rejected.input("malformed sweep message: " + e.getMessage());
            act(context, decision.ended(rejected), rejected);
            return;
        }
        if (item.isRemainder()) {
            remainder(item, decision, context);
            return;
        }
        Scope scope = item.scope();
        decision = decision.subject(item.subscriptionId() != null ? "/subscriptions/" + item.subscriptionId()
                : item.scopeId()).scope(scope.id());
        ScopeOutcome outcome;
        try {
            Jitguard jitguard = runtime.jitguard();
            jitguard.requireInScope(scope);
            Report report = jitguard.reconcile(List.of(scope), new RunOptions(false, TRIGGER));
            outcome = ScopeOutcomes.of(report, scope);
            decision = Findings.describe(decision, report, scope, outcome);
            runtime.notifier().send(report, context.getLogger());
        } catch (SettingsException | OutOfScopeException e) {
            outcome = Refusals.of(e);
            decision = decision.ended(outcome);
        }
        act(context, decision, outcome);
    }

    /**
     * The remainder of a split subscription: its monitoring effect and the resource groups the plan did not name, in
     * one run; a decision per scope; the message is retried when any scope asks for it.
     */
    private void remainder(SweepMessage item, Decision start, ExecutionContext context) {
        Decision decision = start.subject("/subscriptions/" + item.subscriptionId()
                + " except " + item.except().size() + " resource group(s)");
        List<Scope> scopes;
        Report report;
        Jitguard jitguard;
        try {
            jitguard = runtime.jitguard();
            jitguard.requireInScope(new io.jitguard.scope.SubscriptionScope(item.subscriptionId()));
            scopes = RemainderScopes.of(jitguard.arm(), item);
            report = jitguard.reconcile(scopes, new RunOptions(false, TRIGGER));
        } catch (SettingsException | OutOfScopeException e) {
            ScopeOutcome outcome = Refusals.of(e);
            act(context, decision.scope("/subscriptions/" + item.subscriptionId()).ended(outcome), outcome);
            return;
        } catch (ArmException e) {
            ScopeOutcome outcome = e.isTransient()
                    ? new ScopeOutcome.Requeue("cannot list the resource groups: " + e.getMessage(),
                            e.retryAfter().orElse(null))
                    : new ScopeOutcome.Terminal("cannot list the resource groups: " + e.getMessage());
            act(context, decision.scope("/subscriptions/" + item.subscriptionId()).ended(outcome), outcome);
            return;
        }
        RetryableException retry = null;
        for (Scope scope : scopes) {
            ScopeOutcome outcome = ScopeOutcomes.of(report, scope);
            try {
                act(context, Findings.describe(decision, report, scope, outcome), outcome);
            } catch (RetryableException e) {
                retry = retry == null ? e : retry;
            }
        }
        runtime.notifier().send(report, context.getLogger());
        if (retry != null) {
            throw retry;
        }
    }

    /** The one switch of the queue trigger: log the decision, then return (the message is done) or throw (retry). */
    static void act(ExecutionContext context, Decision decision, ScopeOutcome outcome) {
        DecisionLog.write(context, decision);
        boolean retry = switch (outcome.kind()) {
            case REJECTED -> ((ScopeOutcome.Rejected) outcome).source() == ScopeOutcome.Rejected.Source.SETTINGS;
            case OUT_OF_SCOPE, NOT_FOUND, CONVERGED, TERMINAL -> false;
            case REQUEUE -> true;
        };
        if (retry) {
            throw new RetryableException(outcome.reason() + "; the queue will try again");
        }
    }
}
