package io.jitguard.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.ArmCalls;
import io.jitguard.report.Failure;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.PlannedChange;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reports built from the records, one VM of every status, plus a hostile VM name. */
final class Fixtures {
    static final String SUB = "11111111-1111-1111-1111-111111111111";
    /** Markup, quotes and an ampersand; no '/', which no Azure resource name holds (the VM's id is parsed). */
    static final String HOSTILE = "<script>alert(1)<script>\"'&";
    /** A rule and reason as a hostile JITGUARD_EXCLUSIONS entry or tag could make them. */
    static final String HOSTILE_RULE = "=JITGUARD_EXCLUSIONS (" + HOSTILE + ", approved by <b>x</b>)";
    static final String HOSTILE_REASON = "+reason " + HOSTILE;
    static final java.time.LocalDate UNTIL = java.time.LocalDate.parse("2025-03-31");
    static final String EXPIRED_NOTE = VmReport.EXCLUSION_EXPIRED + ": tag jitguard-exclude on the VM until 2024-12-31";
    static final String POLICY = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Security/"
            + "locations/westeurope/jitNetworkAccessPolicies/default";

    private Fixtures() {
    }

    static String vmId(String rg, String name) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/"
                + name;
    }

    /**
     * One VM a status (changes for the ones that have any), the hostile one last. The excluded VM carries a hostile
     * exclusion rule and reason, the would-fix one an expired exclusion and its note.
     */
    static Report report(boolean dryRun) {
        List<VmReport> vms = new ArrayList<>();
        for (VmStatus s : VmStatus.values()) {
            boolean changed = s == VmStatus.FIXED || s == VmStatus.WOULD_FIX;
            vms.add(new VmReport(vmId("rg-web", "vm-" + s.label()), s, s == VmStatus.COMPLIANT ? "" : "because " + s,
                    changed ? List.of("add port 22", "add port 3389") : List.of(), POLICY));
        }
        vms.replaceAll(vm -> switch (vm.status()) {
            case EXCLUDED -> vm.with(new VmReport.Exclusion("excluded", HOSTILE_RULE, UNTIL, HOSTILE_REASON),
                    List.of());
            case WOULD_FIX -> vm.with(new VmReport.Exclusion(VmReport.EXCLUSION_EXPIRED,
                    "tag jitguard-exclude on the VM", java.time.LocalDate.parse("2024-12-31"), null, "2024-12-31"),
                    List.of(EXPIRED_NOTE));
            default -> vm;
        });
        vms.add(new VmReport(vmId("rg-hostile", HOSTILE), VmStatus.BLOCKED, "=HYPERLINK(\"x\") " + HOSTILE,
                List.of("+" + HOSTILE), POLICY));
        List<SubscriptionReport> subs = List.of(new SubscriptionReport(SUB,
                new MonitoringEffectReport("Disabled", "AuditIfNotExists",
                        dryRun ? MonitoringStatus.WOULD_FIX : MonitoringStatus.FIXED, null), "Standard/P2", null));
        List<PlannedChange> planned = List.of();
        if (dryRun) {
            com.fasterxml.jackson.databind.node.ObjectNode before = (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"properties\":{\"virtualMachines\":[{\"id\":\"" + vmId("rg-web", "a")
                    + "\",\"ports\":[]}]}}");
            com.fasterxml.jackson.databind.node.ObjectNode after = before.deepCopy();
            var vmsNode = (com.fasterxml.jackson.databind.node.ArrayNode) after.path("properties")
                    .path("virtualMachines");
            ((com.fasterxml.jackson.databind.node.ArrayNode) vmsNode.get(0).path("ports")).addObject().put("number", 22);
            vmsNode.addObject().put("id", HOSTILE);
            planned = List.of(new PlannedChange(POLICY, before, after));
        }
        return new Report("enforce", dryRun, "test", Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:02Z"), List.of("/subscriptions/" + SUB), subs, vms,
                dryRun ? List.of() : List.of(POLICY), dryRun ? List.of(POLICY) : List.of(),
                List.of(new Failure(POLICY, 429, "TooManyRequests", "slow down " + HOSTILE, true)), new ArmCalls(3, 1),
                planned);
    }

    static Report many(int count) {
        List<VmReport> vms = new ArrayList<>();
        VmStatus[] statuses = VmStatus.values();
        for (int i = 0; i < count; i++) {
            VmStatus s = statuses[i % statuses.length];
            vms.add(new VmReport(vmId("rg-" + (i % 50), String.format("vm-%05d", i)), s, "reason " + i,
                    s == VmStatus.FIXED ? List.of("add port 22") : List.of(), POLICY));
        }
        return new Report("enforce", false, "test", Instant.EPOCH, Instant.EPOCH, List.of(), List.of(), vms,
                List.of(), List.of(), List.of(), new ArmCalls(3, 1));
    }

    static JsonNode json(String text) {
        try {
            return ReportJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
