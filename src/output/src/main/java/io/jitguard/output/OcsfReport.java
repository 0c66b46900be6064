package io.jitguard.output;

import io.jitguard.model.ArmId;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.report.MonitoringEffectReport;
import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import java.time.Instant;

/**
 * The report as OCSF {@value #SCHEMA_VERSION} Compliance Finding events (class_uid 2003, category_uid 2 Findings), a
 * JSON array: one event a VM and one a subscription's monitoring effect (none for a subscription the scope did not
 * cover). activity_id 1 (Create), type_uid 200301. The VM's resource id is {@code resources[0].uid}, its subscription
 * {@code cloud.account.uid}; jitguard's own fields (changes, policy id, run) are under {@code unmapped.jitguard}.
 *
 * <p>Mapping, decided from {@code remains()} so new statuses map too: a finding that remains is compliance
 * {@code Fail}, severity High, finding status New; compliant or fixed is {@code Pass}, Informational, Resolved;
 * anything else (excluded, not in scope) is {@code Warning}, Low, Suppressed. A VM whose NSGs expose a baseline port
 * is a Fail of type {@value #EXPOSURE_CONTROL} too; its exposure (High with a public IP, else Medium) only ever raises
 * the severity, never lowers it. {@code cloud.account} is the subscription ({@code type_id} 13, Azure Subscription);
 * {@code metadata.product.version} is this build's version. An excluded VM's
 * {@code status_detail} names the exclusion's rule, last day and reason ({@code excluded by … until …: …}); the
 * exclusion (also an expired one) is {@code unmapped.jitguard.exclusion} and the notes ({@code exclusion-expired: …})
 * {@code unmapped.jitguard.notes}. The regulatory controls a VM's findings evidence are {@code compliance.standards}
 * (after jitguard's own) and {@code compliance.requirements}; a fixed VM's time to protect is
 * {@code unmapped.jitguard.time_to_protect}.
 */
public final class OcsfReport {
    public static final String SCHEMA_VERSION = "1.8.0";
    public static final int CLASS_UID = 2003;
    public static final int CATEGORY_UID = 2;
    public static final int ACTIVITY_CREATE = 1;
    static final String VM_CONTROL = "jitguard-vm-jit-coverage";
    static final String EXPOSURE_CONTROL = "jitguard-vm-nsg-exposure";
    static final String MONITORING_CONTROL = "jitguard-jit-monitoring-effect";
    /** OCSF {@code account.type_id} "Azure Subscription". */
    static final int AZURE_SUBSCRIPTION = 13;
    /** OCSF severity captions by {@code severity_id} (0 to 6). */
    private static final String[] SEVERITIES = {"Unknown", "Informational", "Low", "Medium", "High", "Critical",
            "Fatal"};
    /** This build's version, from the Maven project. */
    static final String PRODUCT_VERSION = productVersion();
    static final String STANDARD = "jitguard: every Azure VM behind Defender for Cloud just-in-time VM access";

    private OcsfReport() {
    }

    private static String productVersion() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = OcsfReport.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }

    public static String write(Report report) {
        return StreamedText.text(out -> write(report, out));
    }

    /**
     * The same array written to {@code out} as UTF-8, one event at a time (only the event being written is held);
     * {@code out} is flushed, not closed.
     */
    static void write(Report report, java.io.OutputStream out) throws java.io.IOException {
        ObjectMapper json = ReportJson.mapper();
        // compact, one array: a SIEM reads it, and indentation would double its size at tenant scale
        try (SequenceWriter events = json.writer().without(SerializationFeature.INDENT_OUTPUT)
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValuesAsArray(out)) {
            for (VmReport vm : report.vms()) {
                events.write(vmEvent(json, report, vm));
            }
            for (SubscriptionReport s : report.subscriptions()) {
                MonitoringEffectReport m = s.monitoringEffect();
                if (m != null && m.status() != MonitoringStatus.NOT_IN_SCOPE) {
                    events.write(monitoringEvent(json, report, s, m));
                }
            }
        }
    }

    private static ObjectNode vmEvent(ObjectMapper json, Report report, VmReport vm) {
        Outcomes.Kind kind = Outcomes.of(vm.status());
        Outcomes.Parts id = Outcomes.Parts.of(vm.id());
        String detail = Outcomes.detail(vm);
        ObjectNode e = base(json, report, kind, "JIT VM access for " + id.name(),
                "jitguard:vm:" + vm.id(), vm.status().label(), vm.reason(), VM_CONTROL);
        e.put("message", id.name() + ": " + vm.status().label() + (detail.isEmpty() ? "" : " (" + detail + ")"));
        resource(e, vm.id(), "Microsoft.Compute/virtualMachines", id.name(), id.resourceGroup());
        cloud(e, id.subscription());
        e.putObject("remediation").put("desc", kind == Outcomes.Kind.FINDING
                ? "Cover the VM with a Defender for Cloud JIT policy rule for every baseline port (jitguard fix "
                + "--scope " + vm.id() + "), or tag it to exclude it; unsupported and blocked VMs need the "
                + "reason fixed first."
                : "None needed.");
        if (vm.exposed()) {
            exposure(e, vm);
        }
        controls(e, vm);
        ObjectNode ours = e.putObject("unmapped").putObject("jitguard");
        ours.putPOJO("changes", vm.changes());
        if (vm.timeToProtect() != null) {
            ours.putPOJO("time_to_protect", vm.timeToProtect());
        }
        ours.put("policy_id", vm.policyId());
        if (vm.exposure() != null) {
            ours.putPOJO("exposure", vm.exposure());
        }
        if (vm.exclusion() != null) {
            ours.putPOJO("exclusion", vm.exclusion());
            if (vm.status() == io.jitguard.report.VmStatus.EXCLUDED) {
                e.put("status_detail", Outcomes.exclusion(vm));
            }
        }
        if (!vm.notes().isEmpty()) {
            ours.putPOJO("notes", vm.notes());
        }
        run(ours, report);
        return e;
    }

    private static ObjectNode monitoringEvent(ObjectMapper json, Report report, SubscriptionReport s,
                                              MonitoringEffectReport m) {
        String assignment = ArmId.subscription(s.id())
                .provider("Microsoft.Authorization", "policyAssignments", "SecurityCenterBuiltIn").toString();
        Outcomes.Kind kind = Outcomes.of(m.status());
        ObjectNode e = base(json, report, kind, "JIT monitoring effect of subscription " + s.id(),
                "jitguard:monitoring:" + s.id(), m.status().label(), m.reason(), MONITORING_CONTROL);
        e.put("message", "jitNetworkAccessMonitoringEffect " + effect(m.before()) + " -> " + effect(m.after())
                + ": " + m.status().label());
        resource(e, assignment, "Microsoft.Authorization/policyAssignments", "SecurityCenterBuiltIn",
                Outcomes.resourceGroupOf(assignment));
        cloud(e, s.id());
        e.putObject("remediation").put("desc", kind == Outcomes.Kind.FINDING
                ? "Set jitNetworkAccessMonitoringEffect of the SecurityCenterBuiltIn assignment to "
                + "AuditIfNotExists (jitguard sweep), or assign the Defender for Cloud default initiative."
                : "None needed.");
        ObjectNode ours = e.putObject("unmapped").putObject("jitguard");
        ours.putArray("changes");
        if (m.status() == MonitoringStatus.FIXED || m.status() == MonitoringStatus.WOULD_FIX) {
            ((ArrayNode) ours.get("changes")).add("jitNetworkAccessMonitoringEffect " + effect(m.before())
                    + " -> " + effect(m.after()));
        }
        ours.put("effect_before", m.before());
        ours.put("effect_after", m.after());
        run(ours, report);
        return e;
    }

    /**
     * An exposed VM (a baseline port open from the Internet, or Defender's deny rule missing): a Fail whatever its
     * JIT status, severity High when a NIC has a public IP else Medium, a second finding type and its remediation.
     */
    private static void exposure(ObjectNode e, VmReport vm) {
        int exposure = switch (String.valueOf(vm.exposure().severity())) {
            case "HIGH" -> 4;
            case "MEDIUM" -> 3;
            case "LOW" -> 2;
            default -> 1;
        };
        // exposure only ever raises a finding's severity: a would-fix VM open to the Internet stays at least High
        int severity = Math.max(e.path("severity_id").asInt(), exposure);
        e.put("severity_id", severity);
        e.put("severity", SEVERITIES[severity]);
        e.put("status_id", 1);
        e.put("status", "New");
        ObjectNode compliance = (ObjectNode) e.get("compliance");
        compliance.put("status_id", 3);
        compliance.put("status", "Fail");
        ((ArrayNode) e.get("finding_info").get("types")).add(EXPOSURE_CONTROL);
        e.put("message", e.get("message").asText() + "; exposed: " + vm.exposure().summary());
        String cover = ((ObjectNode) e.get("remediation")).path("desc").asText();
        e.putObject("remediation").put("desc", "Remove or narrow the NSG allow rules that let the management ports "
                + "in from the Internet (they take priority over Defender's JIT deny rules); jitguard only reports."
                + ("None needed.".equals(cover) ? "" : " Then: " + cover));
    }

    /**
     * The regulatory controls the VM's findings evidence ({@link io.jitguard.report.Controls}): each standard (the
     * Azure Policy initiative's display name) once in {@code compliance.standards}, after jitguard's own, and each
     * control id (the initiative's group name) in {@code compliance.requirements}.
     */
    private static void controls(ObjectNode e, VmReport vm) {
        if (vm.controls().isEmpty()) {
            return;
        }
        ObjectNode compliance = (ObjectNode) e.get("compliance");
        ArrayNode standards = (ArrayNode) compliance.get("standards");
        java.util.Set<String> named = new java.util.LinkedHashSet<>();
        standards.forEach(s -> named.add(s.asText()));
        ArrayNode requirements = compliance.putArray("requirements");
        for (io.jitguard.report.Control c : vm.controls()) {
            if (named.add(c.standard())) {
                standards.add(c.standard());
            }
            requirements.add(c.control());
        }
    }

    private static ObjectNode base(ObjectMapper json, Report report, Outcomes.Kind kind, String title, String uid,
                                   String statusCode, String detail, String control) {
        ObjectNode e = json.createObjectNode();
        e.put("class_uid", CLASS_UID);
        e.put("class_name", "Compliance Finding");
        e.put("category_uid", CATEGORY_UID);
        e.put("category_name", "Findings");
        e.put("activity_id", ACTIVITY_CREATE);
        e.put("activity_name", "Create");
        e.put("type_uid", CLASS_UID * 100L + ACTIVITY_CREATE);
        e.put("type_name", "Compliance Finding: Create");
        Instant at = report.finishedAt() != null ? report.finishedAt() : Instant.EPOCH;
        e.put("time", at.toEpochMilli());
        switch (kind) {
            case FINDING -> severity(e, 4, "High", 1, "New", 3, "Fail");
            case PASS -> severity(e, 1, "Informational", 4, "Resolved", 1, "Pass");
            default -> severity(e, 2, "Low", 3, "Suppressed", 2, "Warning");
        }
        e.put("status_code", statusCode);
        if (detail != null && !detail.isEmpty()) {
            e.put("status_detail", detail);
        }
        ObjectNode metadata = e.putObject("metadata");
        metadata.put("version", SCHEMA_VERSION);
        metadata.putArray("profiles").add("cloud");
        metadata.put("log_name", report.trigger());
        ObjectNode product = metadata.putObject("product");
        product.put("name", "jitguard");
        product.put("uid", "jitguard");
        product.put("vendor_name", "jitguard");
        product.put("version", PRODUCT_VERSION);
        ObjectNode info = e.putObject("finding_info");
        info.put("uid", uid);
        info.put("title", title);
        info.putArray("types").add(control);
        ObjectNode compliance = e.putObject("compliance");
        compliance.putArray("standards").add(STANDARD);
        compliance.put("control", control);
        compliance.put("status_id", e.get("compliance_status_id").asInt());
        compliance.put("status", e.remove("compliance_status").asText());
        e.remove("compliance_status_id");
        return e;
    }

    private static void severity(ObjectNode e, int severityId, String severity, int statusId, String status,
                                 int complianceId, String complianceStatus) {
        e.put("severity_id", severityId);
        e.put("severity", severity);
        e.put("status_id", statusId);
        e.put("status", status);
        e.put("compliance_status_id", complianceId);
        e.put("compliance_status", complianceStatus);
    }

    private static void resource(ObjectNode e, String uid, String type, String name, String rg) {
        ObjectNode r = e.putArray("resources").addObject();
        r.put("uid", uid);
        r.put("type", type);
        r.put("name", name);
        if (!rg.isEmpty()) {
            r.putObject("group").put("name", rg);
        }
    }

    private static void cloud(ObjectNode e, String subscriptionId) {
        ObjectNode cloud = e.putObject("cloud");
        cloud.put("provider", "Azure");
        ObjectNode account = cloud.putObject("account");
        account.put("uid", subscriptionId);
        account.put("type_id", AZURE_SUBSCRIPTION);
        account.put("type", "Azure Subscription");
    }

    private static void run(ObjectNode ours, Report report) {
        ours.put("mode", report.mode());
        ours.put("dry_run", report.dryRun());
        ours.put("trigger", report.trigger());
    }

    private static String effect(String value) {
        return value == null ? "default" : value;
    }
}
