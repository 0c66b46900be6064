package io.jitguard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.runtime.Jitguard;
import java.util.ArrayList;
import java.util.List;

/**
 * The nightly sweep: lists the subscriptions in scope and enqueues one work item per subscription on
 * {@code jitguard-sweep}, so thousands of subscriptions fan out across instances ({@link SweepSubscription}) instead
 * of running in one invocation. Reads no more than the subscription list; writes nothing to ARM.
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
        List<String> messages = new ArrayList<>();
        for (String id : jitguard.subscriptionsInScope()) {
            Decision decision = start.scope("/subscriptions/" + id);
            if (!SweepMessage.isSubscriptionId(id)) {
                DecisionLog.write(context,
                        decision.ended(ScopeOutcome.Rejected.input("not a subscription id (a GUID)")));
                continue;
            }
            messages.add(new SweepMessage(id).toJson());
            DecisionLog.write(context, decision.result(Decision.ENQUEUED, null));
        }
        items.setValue(messages);
        context.getLogger().info("jitguard: enqueued " + messages.size() + " subscription(s) on "
                + SweepMessage.QUEUE);
    }
}
