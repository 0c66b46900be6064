package io.jitguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.baseline.Settings;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.RunOptions;
import io.jitguard.events.EventRouter;
import io.jitguard.events.RoutedOperations;
import io.jitguard.output.HtmlReport;
import io.jitguard.report.Report;
import io.jitguard.report.ReportText;
import io.jitguard.report.VmReport;
import io.jitguard.scope.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Starts the emulator on the example estate (drift included), shows coverage, sweeps, replays events a person's
 * drift would raise, and prints the before/after table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        footer = {"", "Settings: none (the demo runs its own emulator, whatever the environment says).", "",
                ExitCodes.TOOL_EXIT_CODES},
        description = "Run jitguard end to end against the built-in ARM emulator and a sample estate with drift.")
final class DemoCommand implements Callable<Integer> {
    static final String ESTATE = "/examples/estate.json";
    static final String PROD = "11111111-1111-1111-1111-111111111111";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Estate estate;
        try (InputStream in = DemoCommand.class.getResourceAsStream(ESTATE)) {
            estate = Estate.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (ArmEmulator emulator = ArmEmulator.start(estate, 0)) {
            trustEmulator();
            Jitguard jitguard = Jitguard.fromEnvironment(Map.of(
                    Settings.ARM_ENDPOINT, emulator.endpoint(),
                    Settings.ARM_TOKEN, demoToken()));
            List<Scope> all = jitguard.subscriptionScopes();
            out.printf("ARM emulator at %s (trust store %s)%n%n", emulator.endpoint(), EmulatorTls.trustStore());

            Report before = jitguard.reconcile(all, new RunOptions(true, "demo:before"));
            out.println("== Before: coverage as found (audit, nothing written)");
            out.print(ReportText.summary(before));

            Report sweep = jitguard.reconcile(all, new RunOptions(false, "demo:sweep"));
            out.println();
            out.println("== Enforce sweep");
            out.print(ReportText.summary(sweep));

            out.println();
            out.println("== Drift, and the events it raises");
            replay(out, jitguard, "a new VM vm-web-4 is created", newVm(emulator));
            replay(out, jitguard, "someone removes vm-web-2 from policy 'default'", removeFromPolicy(emulator));
            replay(out, jitguard, "someone sets jitNetworkAccessMonitoringEffect to Disabled",
                    disableMonitoring(emulator));
            List<ObjectNode> own = emulator.events();
            replay(out, jitguard, "the " + own.size() + " events jitguard's own writes raised come back",
                    JSON.valueToTree(own).toString());

            Report second = jitguard.reconcile(all, new RunOptions(false, "demo:second-sweep"));
            out.println();
            out.printf("== Second sweep: %d writes, %d reads%n", second.armCalls().writes(), second.armCalls().reads());

            Report after = jitguard.reconcile(all, new RunOptions(true, "demo:after"));
            out.println();
            out.println("== Before / after");
            out.print(beforeAfter(before, after));
            out.printf("%nDemo sweep: %d ARM reads, %d ARM writes.%n", sweep.armCalls().reads(),
                    sweep.armCalls().writes());
            Path dir = Path.of("target", "jitguard-demo");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("before.html"), HtmlReport.write(before, jitguard.baseline()));
            Files.writeString(dir.resolve("report.html"), HtmlReport.write(sweep, jitguard.baseline()));
            out.printf("HTML report of the sweep: %s (the dry run before it, with the planned writes: %s)%n",
                    dir.resolve("report.html").toAbsolutePath(), dir.resolve("before.html").toAbsolutePath());
        }
        return ExitCodes.COMPLIANT;
    }

    private static void replay(PrintWriter out, Jitguard jitguard, String what, String eventsJson) {
        List<Scope> scopes = EventRouter.parse(eventsJson).scopes();
        Report report = jitguard.reconcile(scopes, new RunOptions(false, "demo:event"));
        List<String> fixes = new ArrayList<>(report.vms().stream().filter(v -> !v.changes().isEmpty())
                .map(v -> ReportText.shortId(v.id()) + " " + String.join("; ", v.changes())).toList());
        report.subscriptions().stream()
                .filter(s -> s.monitoringEffect() != null
                        && s.monitoringEffect().status() == io.jitguard.report.MonitoringStatus.FIXED)
                .forEach(s -> fixes.add("monitoring effect " + s.monitoringEffect().before() + " -> "
                        + s.monitoringEffect().after()));
        out.printf("- %s -> scopes %s: %d writes%s%n", what,
                String.join(", ", scopes.stream().map(Scope::id).toList()), report.writes().size(),
                fixes.isEmpty() ? "" : ": " + String.join("; ", fixes));
    }

    private static String newVm(ArmEmulator emulator) {
        String rg = "/subscriptions/" + PROD + "/resourceGroups/rg-web";
        String nicId = rg + "/providers/Microsoft.Network/networkInterfaces/vm-web-4-nic";
        String vmId = rg + "/providers/Microsoft.Compute/virtualMachines/vm-web-4";
        ObjectNode webNic = emulator.resource(rg + "/providers/Microsoft.Network/networkInterfaces/vm-web-2-nic")
                .orElseThrow(() -> new IllegalStateException("the example estate lacks vm-web-2-nic"));
        ObjectNode nic = webNic.deepCopy();
        nic.put("id", nicId).put("name", "vm-web-4-nic");
        ((ObjectNode) nic.with("properties")).putObject("virtualMachine").put("id", vmId);
        emulator.putResource(nic);
        ObjectNode vm = JSON.createObjectNode();
        vm.put("id", vmId).put("name", "vm-web-4").put("type", "Microsoft.Compute/virtualMachines")
                .put("location", "westeurope");
        vm.putObject("tags");
        ObjectNode props = vm.putObject("properties");
        props.putObject("hardwareProfile").put("vmSize", "Standard_B2s");
        props.putObject("storageProfile").putObject("osDisk").put("osType", "Linux");
        ArrayNode nics = props.putObject("networkProfile").putArray("networkInterfaces");
        nics.addObject().put("id", nicId).putObject("properties").put("primary", true);
        emulator.putResource(vm);
        return event(vmId, RoutedOperations.VM_WRITE, "Microsoft.Resources.ResourceWriteSuccess");
    }

    private static String removeFromPolicy(ArmEmulator emulator) {
        String policyId = "/subscriptions/" + PROD + "/resourceGroups/rg-web/providers/Microsoft.Security/locations/"
                + "westeurope/jitNetworkAccessPolicies/default";
        ObjectNode policy = emulator.resource(policyId).orElseThrow();
        ArrayNode vms = (ArrayNode) policy.path("properties").path("virtualMachines");
        for (int i = vms.size() - 1; i >= 0; i--) {
            if (vms.get(i).path("id").asText().toLowerCase(Locale.ROOT).endsWith("/vm-web-2")) {
                vms.remove(i);
            }
        }
        emulator.putResource(policy);
        return event(policyId, RoutedOperations.JIT_POLICY_WRITE, "Microsoft.Resources.ResourceWriteSuccess");
    }

    private static String disableMonitoring(ArmEmulator emulator) {
        String id = "/subscriptions/" + PROD + "/providers/Microsoft.Authorization/policyAssignments/"
                + "SecurityCenterBuiltIn";
        ObjectNode assignment = emulator.resource(id).orElseThrow();
        ((ObjectNode) assignment.with("properties").with("parameters"))
                .putObject("jitNetworkAccessMonitoringEffect").put("value", "Disabled");
        emulator.putResource(assignment);
        return event(id, RoutedOperations.ASSIGNMENT_WRITE, "Microsoft.Resources.ResourceWriteSuccess");
    }

    private static String event(String resourceId, String operation, String eventType) {
        Map<String, Object> claims = Map.of("name", "Dana Operator",
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "dana@contoso.example");
        return ArmEmulator.resourceEvent(resourceId, operation, eventType, claims,
                "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa").toString();
    }

    static String beforeAfter(Report before, Report after) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (VmReport vm : before.vms()) {
            rows.computeIfAbsent(vm.id().toLowerCase(Locale.ROOT), k -> new String[] {vm.id(), "-", "-"})[1] =
                    vm.status().label();
        }
        for (VmReport vm : after.vms()) {
            rows.computeIfAbsent(vm.id().toLowerCase(Locale.ROOT), k -> new String[] {vm.id(), "-", "-"})[2] =
                    vm.status().label();
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "  %-70s %-12s %-12s%n", "VM", "BEFORE",
                "AFTER"));
        List<String[]> sorted = new ArrayList<>(rows.values());
        for (String[] row : sorted) {
            table.append(String.format(Locale.ROOT, "  %-70s %-12s %-12s%n", ReportText.shortId(row[0]), row[1],
                    row[2]));
        }
        before.subscriptions().forEach(s -> after.subscriptions().stream()
                .filter(a -> a.id().equalsIgnoreCase(s.id())).findFirst()
                .ifPresent(a -> table.append(String.format(Locale.ROOT, "  %-70s %-12s %-12s%n",
                        "monitoring effect of " + s.id(), monitoring(s.monitoringEffect()),
                        monitoring(a.monitoringEffect())))));
        return table.toString();
    }

    private static String monitoring(io.jitguard.report.MonitoringEffectReport m) {
        return m == null ? "-" : m.status().label();
    }

    /** The JVM trusts the emulator's self-signed certificate through its own trust store settings. */
    private static void trustEmulator() {
        System.setProperty("javax.net.ssl.trustStore", EmulatorTls.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    /** An unsigned JWT naming the demo identity, so the emulator's events carry its claims. */
    static String demoToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"appid\":\"jitguard-demo\",\"oid\":"
                + "\"00000000-0000-0000-0000-00000000d3e0\",\"name\":\"jitguard (demo)\"}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }
}
