package io.jitguard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.jitguard.read.EstateCensus;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.runtime.Jitguard;
import java.util.ArrayList;
import java.util.List;

/**
 * The nightly sweep: lists the subscriptions in scope, asks Resource Graph how many VMs each subscription and resource
 * group holds, and enqueues work items on {@code jitguard-sweep} sized for one invocation ({@link NightPlan}), so
 * thousands of subscriptions, and subscriptions of tens of thousands of VMs, fan out across instances
 * ({@link SweepSubscription}). When Resource Graph cannot answer, one item per subscription, as before, and the log
 * says why. Reads the subscription list and Resource Graph; writes nothing to ARM.
 */
public class NightlySweep {
    static final String TRIGGER = "timer";
    private final FunctionsRuntime runtime;

    public NightlySweep() {
        this(FunctionsRuntime.shared());
    }

    public NightlySweep(FunctionsRuntime runtime) {
        this.runtime = runtime;
    }

    /** A failure to list throws: the timer is not retried, but the run shows as failed with the reason. */
    @FunctionName("NightlySweep")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%JITGUARD_SWEEP_SCHEDULE%") String timerInfo,
            @QueueOutput(name = "items", queueName = SweepMessage.QUEUE, connection = "AzureWebJobsStorage")
            OutputBinding<List<String>> items,
            final ExecutionContext context) {
        Decision start = Decision.of(TRIGGER, context.getInvocationId());
        Jitguard jitguard = runtime.jitguard();
        List<String> subscriptions = new ArrayList<>();
        for (String id : jitguard.subscriptionsInScope()) {
            if (!SweepMessage.isSubscriptionId(id)) {
                DecisionLog.write(context, start.scope("/subscriptions/" + id)
                        .ended(ScopeOutcome.Rejected.input("not a subscription id (a GUID)")));
                continue;
            }
            subscriptions.add(id);
        }
        NightPlan plan = plan(jitguard, subscriptions, context);
        plan.notes().forEach(note -> context.getLogger().info("jitguard: " + note));
        List<String> messages = new ArrayList<>();
        for (SweepMessage item : plan.items()) {
            messages.add(item.toJson());
            DecisionLog.write(context, start.scope(item.isRemainder() ? "/subscriptions/" + item.subscriptionId()
                    : item.scope().id()).result(Decision.ENQUEUED, item.isRemainder()
                    ? "remainder: every resource group but the " + item.except().size() + " with items of their own"
                    : null));
        }
        items.setValue(messages);
        context.getLogger().info("jitguard: enqueued " + messages.size() + " work item(s) for "
                + subscriptions.size() + " subscription(s) on " + SweepMessage.QUEUE);
    }

    /** Sized by Resource Graph; one item per subscription when it cannot answer. */
    private static NightPlan plan(Jitguard jitguard, List<String> subscriptions, ExecutionContext context) {
        if (subscriptions.isEmpty()) {
            return NightPlan.perSubscription(subscriptions);
        }
        try {
            return NightPlan.of(subscriptions, jitguard.census().vmCounts(subscriptions), jitguard.splitThreshold());
        } catch (EstateCensus.CensusFailedException e) {
            context.getLogger().warning("jitguard: Resource Graph could not size the night, so one work item per"
                    + " subscription: " + NightPlan.shown(String.valueOf(e.getMessage())));
            return NightPlan.perSubscription(subscriptions);
        }
    }
}
