package io.jitguard.evaluate;

/** Whether a value of {@code jitNetworkAccessMonitoringEffect} audits. Shared by the evaluator and the merge. */
public final class MonitoringEffect {
    public static final String PARAMETER = "jitNetworkAccessMonitoringEffect";
    public static final String AUDIT_IF_NOT_EXISTS = "AuditIfNotExists";

    private MonitoringEffect() {
    }

    /** Null (absent: the initiative default), {@code AuditIfNotExists} or {@code Audit}, in any case. */
    public static boolean audits(String effect) {
        return effect == null || effect.equalsIgnoreCase(AUDIT_IF_NOT_EXISTS) || effect.equalsIgnoreCase("Audit");
    }
}
