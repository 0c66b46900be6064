package io.jitguard.output;

import io.jitguard.model.ArmId;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;

/**
 * How a status reads across every output, decided from the status enums themselves ({@code remains()}), so a status
 * added to {@link VmStatus} later is rendered without a change here.
 */
final class Outcomes {
    enum Kind {
        /** compliant, or made so by this run */
        PASS("pass"),
        /** a finding that remains after the run */
        FINDING("finding"),
        /** neither: left alone on purpose (excluded, not in scope) */
        OTHER("other");

        final String css;

        Kind(String css) {
            this.css = css;
        }
    }

    private Outcomes() {
    }

    static Kind of(VmStatus status) {
        if (status.remains()) {
            return Kind.FINDING;
        }
        return status == VmStatus.COMPLIANT || status == VmStatus.FIXED ? Kind.PASS : Kind.OTHER;
    }

    static Kind of(MonitoringStatus status) {
        if (status.remains()) {
            return Kind.FINDING;
        }
        return status == MonitoringStatus.COMPLIANT || status == MonitoringStatus.FIXED ? Kind.PASS : Kind.OTHER;
    }

    /**
     * A resource id's parts as the outputs show them, parsed once: its subscription and resource group ("" when the id
     * is not an ARM id) and its name ({@link ArmId#name()}, or the text itself).
     */
    record Parts(String subscription, String resourceGroup, String name) {
        static Parts of(String resourceId) {
            if (resourceId == null) {
                return new Parts("", "", "");
            }
            return ArmId.tryParse(resourceId)
                    .map(id -> new Parts(id.subscription(), id.resourceGroup() == null ? "" : id.resourceGroup(),
                            id.name()))
                    .orElse(new Parts("", "", resourceId));
        }
    }

    /** The subscription id of a resource id, or "" when it is not one. */
    static String subscriptionOf(String resourceId) {
        return ArmId.tryParse(resourceId).map(ArmId::subscription).orElse("");
    }

    static String resourceGroupOf(String resourceId) {
        return ArmId.tryParse(resourceId).map(ArmId::resourceGroup).orElse("");
    }

    /** The resource's name ({@link ArmId#name()}), or the text itself when it is not an ARM id. */
    static String nameOf(String resourceId) {
        if (resourceId == null) {
            return "";
        }
        return ArmId.tryParse(resourceId).map(ArmId::name).orElse(resourceId);
    }

    /** What changed, or why not: the changes when there are any, else the reason. */
    static String detail(VmReport vm) {
        return !vm.changes().isEmpty() ? String.join("; ", vm.changes()) : vm.reason() == null ? "" : vm.reason();
    }

    /**
     * A fixed VM's time to protect as a suffix of its line: {@code  (protected 66 s after the event)},
     * {@code  (protected 3600 s after the VM was created)}, {@code  (protected; time to protect unknown)}; empty when
     * jitguard did not fix it.
     */
    static String protectedIn(VmReport vm) {
        io.jitguard.report.TimeToProtect t = vm.timeToProtect();
        if (t == null) {
            return "";
        }
        if (t.seconds() == null) {
            return " (protected; time to protect unknown)";
        }
        String since = switch (t.from()) {
            case io.jitguard.report.TimeToProtect.EVENT -> "the event";
            case io.jitguard.report.TimeToProtect.VM_CREATED -> "the VM was created";
            case io.jitguard.report.TimeToProtect.POLICY_MODIFIED -> "its JIT policy last changed";
            default -> t.from();
        };
        return " (protected " + t.seconds() + " s after " + since + ")";
    }

    /**
     * The exclusion in one line, empty when none: {@code excluded by RULE until DATE: REASON} or
     * {@code exclusion expired: RULE until DATE} (the parts that are null left out).
     */
    static String exclusion(VmReport vm) {
        VmReport.Exclusion x = vm.exclusion();
        if (x == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(VmReport.EXCLUSION_EXPIRED.equals(x.state()) ? "exclusion expired: "
                : VmReport.EXCLUSION_REFUSED.equals(x.state()) ? "exclusion refused: " : "excluded by ");
        s.append(x.rule() == null ? "" : x.rule());
        if (x.tagValue() != null) {
            s.append(" = \"").append(x.tagValue()).append('"');
        }
        if (x.until() != null) {
            s.append(" until ").append(x.until());
        }
        if (x.reason() != null && !x.reason().isEmpty()) {
            s.append(": ").append(x.reason());
        }
        return s.toString();
    }
}
