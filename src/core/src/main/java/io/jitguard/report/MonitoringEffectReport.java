package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code jitNetworkAccessMonitoringEffect} before and after; null means absent (the initiative default). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MonitoringEffectReport(String before, String after, MonitoringStatus status, String reason) {
}
