package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jitguard.arm.ArmCalls;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one reconcile run, the same for every trigger: the CLI writes it with {@code --report}, the HTTP
 * function returns it.
 *
 * @param mode          {@code enforce} or {@code audit}
 * @param dryRun        true when nothing was written because of the mode or a dry-run request
 * @param writes        resource ids written, in order
 * @param plannedWrites resource ids a dry run would have written
 * @param plannedChanges for each planned write, the document before and after; omitted from JSON when empty (always,
 *                       unless a dry run plans writes)
 */
@JsonPropertyOrder({"mode", "dryRun", "trigger", "startedAt", "finishedAt", "scopes", "subscriptions", "vms",
        "writes", "plannedWrites", "plannedChanges", "failures", "armCalls", "totals", "controls"})
public record Report(String mode, boolean dryRun, String trigger, Instant startedAt, Instant finishedAt,
                     List<String> scopes, List<SubscriptionReport> subscriptions, List<VmReport> vms,
                     List<String> writes, List<String> plannedWrites, List<Failure> failures, ArmCalls armCalls,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PlannedChange> plannedChanges) {
    public Report {
        startedAt = startedAt == null ? null : startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        finishedAt = finishedAt == null ? null : finishedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        plannedChanges = plannedChanges == null ? List.of() : List.copyOf(plannedChanges);
        scopes = List.copyOf(scopes);
        subscriptions = List.copyOf(subscriptions);
        vms = List.copyOf(vms);
        writes = List.copyOf(writes);
        plannedWrites = List.copyOf(plannedWrites);
        failures = List.copyOf(failures);
    }

    /** A report without the planned documents. */
    public Report(String mode, boolean dryRun, String trigger, Instant startedAt, Instant finishedAt,
                  List<String> scopes, List<SubscriptionReport> subscriptions, List<VmReport> vms,
                  List<String> writes, List<String> plannedWrites, List<Failure> failures, ArmCalls armCalls) {
        this(mode, dryRun, trigger, startedAt, finishedAt, scopes, subscriptions, vms, writes, plannedWrites,
                failures, armCalls, List.of());
    }

    /** True when every in-scope resource is compliant or was fixed (excluded ones don't count). */
    @JsonIgnore
    public boolean allCompliant() {
        return failures.isEmpty()
                && vms.stream().noneMatch(v -> v.status().remains())
                && subscriptions.stream().noneMatch(s -> s.monitoringEffect() != null
                && s.monitoringEffect().status().remains());
    }

    /** True when some failure may succeed on a later try (the caller should retry the trigger). */
    @JsonIgnore
    public boolean hasTransientFailure() {
        return failures.stream().anyMatch(Failure::retryable);
    }

    /** One {@link ScopeOutcome} per scope of this report ({@link ScopeOutcomes#of(Report)}). */
    @JsonIgnore
    public java.util.Map<String, ScopeOutcome> outcomes() {
        return ScopeOutcomes.of(this);
    }

    /** Everything counted, unreadable subscriptions and scopes, monitoring findings and failures included. */
    @com.fasterxml.jackson.annotation.JsonProperty("totals")
    public Totals totals() {
        return Totals.of(this);
    }

    /** Each control a VM of this report names by id, described once: id → standard, label, initiative. */
    @com.fasterxml.jackson.annotation.JsonProperty("controls")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public java.util.Map<String, Control> controls() {
        java.util.Map<String, Control> all = new java.util.LinkedHashMap<>();
        // VMs with the same findings share one list of controls ({@link Controls#union}): read each list once
        java.util.Set<List<Control>> read = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        vms.forEach(v -> {
            if (read.add(v.controls())) {
                v.controls().forEach(c -> all.putIfAbsent(c.control(), c));
            }
        });
        return all;
    }

    public long count(VmStatus status) {
        return vms.stream().filter(v -> v.status() == status).count();
    }
}
