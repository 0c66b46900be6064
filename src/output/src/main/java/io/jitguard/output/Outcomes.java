package io.jitguard.output;

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

    /** The subscription id of a resource id, or "" when it has none. */
    static String subscriptionOf(String resourceId) {
        String[] p = resourceId == null ? new String[0] : resourceId.split("/");
        return p.length > 2 && p[1].equalsIgnoreCase("subscriptions") ? p[2] : "";
    }

    static String resourceGroupOf(String resourceId) {
        String[] p = resourceId == null ? new String[0] : resourceId.split("/");
        return p.length > 4 && p[3].equalsIgnoreCase("resourceGroups") ? p[4] : "";
    }

    /** The name of a top-level resource ({@code .../providers/<namespace>/<type>/<name>}), else the last segment. */
    static String nameOf(String resourceId) {
        if (resourceId == null) {
            return "";
        }
        String[] p = resourceId.split("/", 9);
        if (p.length == 9 && p[5].equalsIgnoreCase("providers")) {
            return p[8];
        }
        int slash = resourceId.lastIndexOf('/');
        return slash < 0 ? resourceId : resourceId.substring(slash + 1);
    }

    /** What changed, or why not: the changes when there are any, else the reason. */
    static String detail(VmReport vm) {
        return !vm.changes().isEmpty() ? String.join("; ", vm.changes()) : vm.reason() == null ? "" : vm.reason();
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
