package io.jitguard.evaluate;

import io.jitguard.model.ObservedSubscription;
import java.util.List;

public record SubscriptionFindings(ObservedSubscription observed, MonitoringFinding monitoring,
                                   List<VmFinding> vms) {
    public SubscriptionFindings {
        vms = List.copyOf(vms);
    }
}
