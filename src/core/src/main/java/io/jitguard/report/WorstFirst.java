package io.jitguard.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order people act in: VMs open from the Internet first (HIGH, then MEDIUM exposure, whatever their status), then
 * failed, blocked, would-fix, unsupported and any other finding that remains, then excluded, fixed and compliant last.
 * Ties keep the report's order. Every output that lists VMs uses it.
 */
public final class WorstFirst {
    /** The rank of a VM: lower acts first. */
    public static int rank(VmReport vm) {
        String severity = vm.exposed() ? vm.exposure().severity() : null;
        if ("HIGH".equals(severity)) {
            return 0;
        }
        if ("MEDIUM".equals(severity) || vm.status() == VmStatus.EXPOSED) {
            return 1;
        }
        return switch (vm.status()) {
            case FAILED -> 2;
            case BLOCKED -> 3;
            case WOULD_FIX -> 4;
            case UNSUPPORTED -> 5;
            case EXCLUDED -> 7;
            case FIXED -> 8;
            case COMPLIANT -> 9;
            default -> vm.status().remains() ? 6 : 7;
        };
    }

    public static final Comparator<VmReport> ORDER = Comparator.comparingInt(WorstFirst::rank);

    private WorstFirst() {
    }

    /** A sorted copy (stable: ties keep their order). */
    public static List<VmReport> sort(List<VmReport> vms) {
        List<VmReport> sorted = new ArrayList<>(vms);
        sorted.sort(ORDER);
        return sorted;
    }
}
