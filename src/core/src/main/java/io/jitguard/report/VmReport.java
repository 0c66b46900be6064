package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * @param id        full resource id of the VM
 * @param reason    why (unsupported, excluded, blocked, failed, loose, exposed), empty when compliant
 * @param changes   what was changed, or would be in a dry run
 * @param policyId  the JIT policy that covers it or was written for it
 * @param exclusion the exclusion that excluded it, or that expired (null when none)
 * @param notes     findings that did not decide its status, e.g. {@code exclusion-expired: …}
 * @param exposure  what its NSGs let in on the baseline ports, whatever its status; omitted when nothing was found
 * @param controls  the regulatory controls its findings evidence ({@link Controls}); in JSON their ids, each described
 *                  once in the report's {@code controls}; omitted when none
 * @param timeToProtect for a VM jitguard fixed: how long it stood unprotected; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmReport(String id, VmStatus status, String reason, List<String> changes, String policyId,
                       Exclusion exclusion, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes,
                       Exposure exposure,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY)
                       @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = Control.Ids.class)
                       List<Control> controls,
                       TimeToProtect timeToProtect) {
    /** The prefix of the note of an expired exclusion. */
    public static final String EXCLUSION_EXPIRED = "exclusion-expired";
    /** The prefix of the note of an exclusion tag that was not honoured (and the state of its exclusion). */
    public static final String EXCLUSION_REFUSED = "exclusion-refused";

    public VmReport {
        changes = List.copyOf(changes);
        notes = notes == null ? List.of() : List.copyOf(notes);
        exposure = exposure == null || exposure.isEmpty() ? null : exposure;
        controls = controls == null ? List.of() : List.copyOf(controls);
    }

    public VmReport(String id, VmStatus status, String reason, List<String> changes, String policyId,
                    Exclusion exclusion, List<String> notes, Exposure exposure) {
        this(id, status, reason, changes, policyId, exclusion, notes, exposure, List.of(), null);
    }

    public VmReport(String id, VmStatus status, String reason, List<String> changes, String policyId) {
        this(id, status, reason, changes, policyId, null, List.of(), null);
    }

    public VmReport(String id, VmStatus status, String reason, List<String> changes, String policyId,
                    Exposure exposure) {
        this(id, status, reason, changes, policyId, null, List.of(), exposure);
    }

    public VmReport with(Exclusion exclusion, List<String> notes) {
        return new VmReport(id, status, reason, changes, policyId, exclusion, notes, exposure, controls,
                timeToProtect);
    }

    /** True when a baseline port is open or lacks Defender's deny rule (notes alone are not exposure). */
    public boolean exposed() {
        return exposure != null && !exposure.ports().isEmpty();
    }

    /** In a JIT policy with the baseline when the run ended ({@link VmStatus#covered()}). */
    public boolean covered() {
        return status.covered();
    }

    /** Covered and not exposed: nothing lets the management ports in but a JIT request. */
    public boolean closed() {
        return status.covered() && status != VmStatus.EXPOSED;
    }

    /** The same report with this exposure (null = none). */
    public VmReport withExposure(Exposure e) {
        return new VmReport(id, status, reason, changes, policyId, exclusion, notes, e, controls, timeToProtect);
    }

    /** The same report with these controls. */
    public VmReport withControls(List<Control> c) {
        return new VmReport(id, status, reason, changes, policyId, exclusion, notes, exposure, c, timeToProtect);
    }

    /** The same report with this time to protect (null = none). */
    public VmReport withTimeToProtect(TimeToProtect t) {
        return new VmReport(id, status, reason, changes, policyId, exclusion, notes, exposure, controls, t);
    }

    /**
     * Which exclusion rule applies (or applied) and until when.
     *
     * @param state    {@code excluded}, {@code exclusion-expired} or {@code exclusion-refused}
     * @param rule     {@code JITGUARD_EXCLUSIONS (scope, approved by …)} or {@code tag <name> on the VM / on its
     *                 resource group}
     * @param until    its last day (null for a refused tag)
     * @param reason   the reason of an approved entry, or why a tag was refused (null for an honoured tag)
     * @param tagValue the tag's value as found on the resource (null for an approved entry)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Exclusion(String state, String rule, LocalDate until, String reason, String tagValue) {
        public Exclusion(String state, String rule, LocalDate until, String reason) {
            this(state, rule, until, reason, null);
        }
    }
}
