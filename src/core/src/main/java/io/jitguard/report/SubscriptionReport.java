package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * @param defenderPlan pricing of {@code VirtualMachines}, e.g. {@code Standard/P2}; null when it could not be read
 * @param error        set when the subscription (or part of it) could not be read or written
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionReport(String id, MonitoringEffectReport monitoringEffect, String defenderPlan,
                                 String error) {
}
