package io.jitguard.engine;

import io.jitguard.baseline.Exclusions;
import io.jitguard.engine.WriteOutcomes.AssignmentOutcome;
import io.jitguard.engine.WriteOutcomes.PolicyOutcome;
import io.jitguard.evaluate.MonitoringFinding;
import io.jitguard.plan.DeletedVmEntries;
import io.jitguard.evaluate.SubscriptionFindings;
import io.jitguard.evaluate.VmFinding;
import io.jitguard.model.ArmId;
import io.jitguard.report.Controls;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Findings + write outcomes → the report's subscriptions and VMs. A VM's report status comes from its derived state
 * ({@link VmFinding#state()}) and, for one that needed a write, from what the write came to.
 */
final class ReportAssembler {
    static final String MONITORING_EFFECT_FIXED = "AuditIfNotExists";

    private final Map<String, VmReport> vms = new LinkedHashMap<>();
    private final Map<String, String> plans = new LinkedHashMap<>();
    private final Map<String, String> subscriptionIds = new LinkedHashMap<>();
    private final Map<String, MonitoringEffectReport> monitoring = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final Map<io.jitguard.scope.Scope, java.time.Instant> driftStarts;

    ReportAssembler() {
        this(Map.of());
    }

    /** Each policy's last change, parsed from its document once per run. */
    private final Map<io.jitguard.model.JitPolicy, java.util.Optional<Instant>> lastModified =
            new java.util.IdentityHashMap<>();

    /** @param driftStarts an event-driven run's scopes and the times of the ARM writes that raised their events */
    ReportAssembler(Map<io.jitguard.scope.Scope, java.time.Instant> driftStarts) {
        this.driftStarts = driftStarts;
    }

    void noteSubscription(SubscriptionFindings findings) {
        String id = findings.observed().subscriptionId();
        subscriptionIds.putIfAbsent(ArmId.key(id), id);
        plans.put(ArmId.key(id), findings.observed().defenderPlan().label());
    }

    void subscriptionError(String subscriptionId, String message) {
        subscriptionIds.putIfAbsent(ArmId.key(subscriptionId), subscriptionId);
        errors.merge(ArmId.key(subscriptionId), message, (a, b) -> a + "; " + b);
    }

    /** Every VM and the monitoring effect of every subscription, given what the writes came to. */
    void add(List<SubscriptionFindings> allFindings, Map<String, PolicyOutcome> policyOutcomes,
             Map<String, AssignmentOutcome> assignmentOutcomes) {
        for (SubscriptionFindings findings : allFindings) {
            for (VmFinding finding : findings.vms()) {
                VmReport report = vmReport(finding, policyOutcomes);
                PolicyOutcome written = finding.policyId() == null ? null
                        : policyOutcomes.get(ArmId.key(finding.policyId()));
                if (written != null && written.writtenAt() != null
                        && !written.changesByVm().getOrDefault(ArmId.key(finding.vm().id()), List.of()).isEmpty()) {
                    report = report.withTimeToProtect(DriftDating.of(finding, written.writtenAt(), driftStarts,
                            findings.observed(), this::lastModified));
                }
                vms.putIfAbsent(ArmId.key(report.id()), report);
            }
            findings.observed().deletedVmIds().forEach(id -> deletedVmReport(id, policyOutcomes)
                    .ifPresent(r -> vms.putIfAbsent(ArmId.key(r.id()), r)));
            monitoring(findings.observed().subscriptionId(), monitoringReport(findings.monitoring(),
                    assignmentOutcomes.get(ArmId.key(findings.monitoring().subscriptionId()))));
        }
        if (!allFindings.isEmpty()) {
            removedAfterRefusal(policyOutcomes).forEach(id -> deletedVmReport(id, policyOutcomes)
                    .ifPresent(r -> vms.putIfAbsent(ArmId.key(r.id()), r)));
        }
    }

    /** A policy's last change, read from its document once per run (many VMs of a policy ask). */
    private Instant lastModified(io.jitguard.model.JitPolicy policy) {
        return lastModified.computeIfAbsent(policy, p -> java.util.Optional.ofNullable(DriftDating.lastModified(p)))
                .orElse(null);
    }

    List<VmReport> vmReports() {
        return List.copyOf(vms.values());
    }

    List<SubscriptionReport> subscriptionReports() {
        List<SubscriptionReport> reports = new ArrayList<>();
        subscriptionIds.forEach((k, id) -> reports.add(
                new SubscriptionReport(id, monitoring.get(k), plans.get(k), errors.get(k))));
        return reports;
    }

    /** A subscription read by several scopes keeps the monitoring result of the scope that covered it. */
    private void monitoring(String subscriptionId, MonitoringEffectReport report) {
        MonitoringEffectReport known = monitoring.get(ArmId.key(subscriptionId));
        if (known == null || known.status() == MonitoringStatus.NOT_IN_SCOPE) {
            monitoring.put(ArmId.key(subscriptionId), report);
        }
    }

    /**
     * The VM's report line with its exposure: a VM otherwise compliant or fixed whose ports are open (or lack
     * Defender's deny rule) is {@code exposed}, its changes kept; any other status keeps the exposure details.
     */
    static VmReport vmReport(VmFinding finding, Map<String, PolicyOutcome> outcomes) {
        VmReport report = withExposure(statusReport(finding, outcomes), finding);
        VmReport.Exclusion exclusion = null;
        List<String> notes = new ArrayList<>();
        for (io.jitguard.evaluate.Finding f : finding.findings()) {
            if (f.exclusion() != null) {
                Exclusions.Decision d = f.exclusion();
                String state = d.excluded() ? "excluded"
                        : d.refused() ? VmReport.EXCLUSION_REFUSED : VmReport.EXCLUSION_EXPIRED;
                exclusion = new VmReport.Exclusion(state, d.rule(), d.until(),
                        d.refused() ? d.refusal() : d.reason(), d.tagValue());
                if (!d.excluded()) {
                    notes.add(state + ": " + f.reason());
                }
            }
        }
        report = report.withControls(controls(finding));
        return exclusion == null ? report : report.with(exclusion, notes);
    }

    /**
     * The controls a VM's findings evidence: not (fully) in a JIT policy, or a covered port without Defender's deny
     * rule → {@link Controls#JIT}; RDP or SSH reachable from the Internet → CIS's controls for that port.
     */
    static List<io.jitguard.report.Control> controls(VmFinding finding) {
        java.util.Set<String> evidence = new java.util.HashSet<>();
        for (io.jitguard.evaluate.Finding f : finding.findings()) {
            switch (f.kind()) {
                case NOT_IN_POLICY, MISSING_RULE, LOOSE_RULE, NO_JIT_DENY -> evidence.add(Controls.JIT);
                case EXPOSED -> {
                    String port = Controls.exposedPort(f.exposure().port());
                    if (port != null) {
                        evidence.add(port);
                    }
                }
                default -> {
                }
            }
        }
        return Controls.union(evidence);
    }

    /** A VM that is otherwise compliant or fixed but reachable through its NSGs is {@code exposed}. */
    private static VmReport withExposure(VmReport report, VmFinding finding) {
        io.jitguard.report.Exposure exposure = exposure(finding);
        if (exposure == null) {
            return report;
        }
        if (!exposure.ports().isEmpty()
                && (report.status() == VmStatus.COMPLIANT || report.status() == VmStatus.FIXED)) {
            return new VmReport(report.id(), VmStatus.EXPOSED, "exposed: " + exposure.summary(), report.changes(),
                    report.policyId(), exposure);
        }
        return report.withExposure(exposure);
    }

    /** The exposure findings of a VM as the report's {@code exposure}; null when there are none. */
    static io.jitguard.report.Exposure exposure(VmFinding finding) {
        List<io.jitguard.report.Exposure.Port> ports = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (io.jitguard.evaluate.Finding f : finding.findings()) {
            switch (f.kind()) {
                case EXPOSED, NO_JIT_DENY -> {
                    io.jitguard.evaluate.ExposedPort e = f.exposure();
                    ports.add(new io.jitguard.report.Exposure.Port(e.finding(), e.port(), e.nsgId(), e.rule(),
                            e.priority(), e.source(), e.severity(), e.block(), e.addresses(), e.sources()));
                }
                case EXPOSURE_NOTE -> notes.add(f.reason());
                default -> {
                }
            }
        }
        return ports.isEmpty() && notes.isEmpty() ? null : new io.jitguard.report.Exposure(ports, notes);
    }

    private static VmReport statusReport(VmFinding finding, Map<String, PolicyOutcome> outcomes) {
        String id = finding.vm().id();
        return switch (finding.state()) {
            case COMPLIANT -> new VmReport(id, VmStatus.COMPLIANT, "", List.of(), finding.policyId());
            case EXCLUDED -> new VmReport(id, VmStatus.EXCLUDED, finding.reason(), List.of(), null);
            case UNSUPPORTED -> new VmReport(id, VmStatus.UNSUPPORTED, finding.reason(), List.of(), null);
            case BLOCKED -> new VmReport(id, VmStatus.BLOCKED, finding.reason(), List.of(), null);
            case MISSING, LOOSE -> {
                PolicyOutcome outcome = outcomes.get(ArmId.key(finding.policyId()));
                if (outcome == null) {
                    yield new VmReport(id, VmStatus.FAILED, "no write was planned for this finding", finding.gaps(),
                            finding.policyId());
                }
                List<String> changes = outcome.changesByVm().getOrDefault(ArmId.key(id), List.of());
                yield switch (outcome.result()) {
                    case PLANNED -> new VmReport(id, VmStatus.WOULD_FIX, finding.reason(),
                            changes.isEmpty() ? finding.gaps() : changes, finding.policyId());
                    case WRITTEN -> changes.isEmpty()
                            ? new VmReport(id, VmStatus.COMPLIANT, "covered by a concurrent write", List.of(),
                            finding.policyId())
                            : new VmReport(id, VmStatus.FIXED, finding.reason(), changes, finding.policyId());
                    case ALREADY_COVERED -> new VmReport(id, VmStatus.COMPLIANT, "covered by a concurrent write",
                            List.of(), finding.policyId());
                    case FAILED -> new VmReport(id, VmStatus.FAILED, outcome.failure(), finding.gaps(),
                            finding.policyId());
                };
            }
        };
    }

    /** Deleted VMs whose entries a write removed after Defender refused it (the read had not confirmed them). */
    private static List<String> removedAfterRefusal(Map<String, PolicyOutcome> outcomes) {
        List<String> ids = new ArrayList<>();
        outcomes.values().forEach(o -> o.changesByVm().values().forEach(changes -> changes.stream()
                .filter(c -> c.startsWith(DeletedVmEntries.CHANGE_PREFIX))
                .forEach(c -> ids.add(c.substring(DeletedVmEntries.CHANGE_PREFIX.length())))));
        return ids;
    }

    /** The report line of a confirmed-deleted VM whose entry a write removes (or would remove). */
    static Optional<VmReport> deletedVmReport(String vmId, Map<String, PolicyOutcome> outcomes) {
        for (Map.Entry<String, PolicyOutcome> e : outcomes.entrySet()) {
            List<String> changes = e.getValue().changesByVm().getOrDefault(ArmId.key(vmId), List.of());
            if (changes.contains(DeletedVmEntries.change(vmId))) {
                VmStatus status = switch (e.getValue().result()) {
                    case PLANNED -> VmStatus.WOULD_FIX;
                    case FAILED -> VmStatus.FAILED;
                    default -> VmStatus.FIXED;
                };
                return Optional.of(new VmReport(vmId, status, "VM deleted (absent from the VM list, GET answers 404)",
                        changes, e.getKey()));
            }
        }
        return Optional.empty();
    }

    /** The monitoring effect's report line; the finding's reason (initiative, override, exemptions) when it has one. */
    static MonitoringEffectReport monitoringReport(MonitoringFinding finding, AssignmentOutcome outcome) {
        MonitoringEffectReport r = monitoringReportOf(finding, outcome);
        return r.reason() != null || finding.reason() == null ? r
                : new MonitoringEffectReport(r.before(), r.after(), r.status(), finding.reason());
    }

    private static MonitoringEffectReport monitoringReportOf(MonitoringFinding finding, AssignmentOutcome outcome) {
        String before = finding.effectBefore();
        return switch (finding.state()) {
            case UNRECOGNIZED -> new MonitoringEffectReport(before, before, MonitoringStatus.UNRECOGNIZED, null);
            case COMPLIANT -> new MonitoringEffectReport(before, before, MonitoringStatus.COMPLIANT, null);
            case MISSING -> new MonitoringEffectReport(null, null, MonitoringStatus.MISSING,
                    "the subscription has no SecurityCenterBuiltIn assignment; jitguard does not create it");
            case NOT_IN_SCOPE -> new MonitoringEffectReport(before, before, MonitoringStatus.NOT_IN_SCOPE, null);
            case DISABLED -> {
                if (outcome == null) {
                    yield new MonitoringEffectReport(before, before, MonitoringStatus.FAILED, "no write was planned");
                }
                yield switch (outcome.result()) {
                    case PLANNED -> new MonitoringEffectReport(before, MONITORING_EFFECT_FIXED,
                            MonitoringStatus.WOULD_FIX, null);
                    case WRITTEN -> new MonitoringEffectReport(before, MONITORING_EFFECT_FIXED,
                            MonitoringStatus.FIXED, null);
                    case ALREADY_COMPLIANT -> new MonitoringEffectReport(before, MONITORING_EFFECT_FIXED,
                            MonitoringStatus.COMPLIANT, "fixed by a concurrent write");
                    case FAILED -> new MonitoringEffectReport(before, before, MonitoringStatus.FAILED,
                            outcome.failure());
                };
            }
        };
    }
}
