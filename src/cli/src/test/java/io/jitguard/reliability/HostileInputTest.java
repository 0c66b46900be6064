package io.jitguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.cli.Main;
import io.jitguard.emulator.ArmEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 5, bad input: every hostile event file, scope id, estate file and setting is refused with exit 2 and a
 * reason, no ARM write happens, and the same process then serves a valid command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    static final String SUB = Fleet.PROD;
    static final String OTHER_SUB = "99999999-9999-9999-9999-999999999999";
    static final String VM = Fleet.vmId("rg-web", "vm-web-2");
    static final String TENANT = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";

    ArmEmulator emulator;
    Path dir;
    int cases;

    @BeforeAll
    void start() throws Exception {
        emulator = ArmEmulator.start(Fleet.example(), 0);
        dir = Files.createTempDirectory("jitguard-hostile");
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    /** name, extra settings, args ("@FILE" is replaced by a file holding {@code file}), file content. */
    record Case(String name, Map<String, String> env, List<String> args, String file) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case event(String name, String json) {
        return new Case("event: " + name, Map.of(), List.of("handle-event", "--file", "@FILE"), json);
    }

    static Case scope(String name, String id) {
        return new Case("fix --scope: " + name, Map.of(), List.of("fix", "--scope", id), null);
    }

    static Case estate(String name, String json) {
        return new Case("estate: " + name, Map.of(), List.of("emulator", "--port", "0", "--estate", "@FILE"), json);
    }

    static Case setting(String name, String value) {
        return new Case("setting " + name + "=" + value.replace("\n", "\\n"), Map.of(name, value),
                List.of("fix", "--scope", VM), null);
    }

    static String eg(String subject, String operation, String dataExtra) {
        return "{\"id\":\"1\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",\"subject\":\"" + subject
                + "\",\"dataVersion\":\"2\",\"eventTime\":\"2026-11-23T10:00:00Z\",\"data\":{\"operationName\":\""
                + operation + "\",\"resourceUri\":\"" + subject + "\",\"status\":\"Succeeded\"" + dataExtra + "}}";
    }

    static String vmEvent(String subject) {
        return eg(subject, "Microsoft.Compute/virtualMachines/write", "");
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static String estateWith(String mutation) throws Exception {
        ObjectNode estate = (ObjectNode) Fleet.JSON.readTree(Files.readString(Path.of("examples/estate.json")));
        switch (mutation) {
            case "no-tenant" -> estate.remove("tenantId");
            case "page-size" -> estate.put("pageSize", -3);
            case "fault-rate" -> ((ObjectNode) estate.get("faults")).put("rate", 2.5);
            case "foreign-resource" -> ((ObjectNode) estate.withArray("subscriptions").get(0).withArray("resources")
                    .get(0)).put("id", "/subscriptions/" + OTHER_SUB + "/resourceGroups/rg-web/providers/"
                    + "Microsoft.Network/networkSecurityGroups/nsg-web");
            case "duplicate" -> ((com.fasterxml.jackson.databind.node.ArrayNode) estate.withArray("subscriptions")
                    .get(0).withArray("resources")).add(estate.withArray("subscriptions").get(0).withArray("resources").get(0).deepCopy());
            case "dotdot" -> ((ObjectNode) estate.withArray("subscriptions").get(0).withArray("resources").get(0))
                    .put("id", "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Network/"
                            + "networkSecurityGroups/../nsg-x");
            case "sub-not-guid" -> ((ObjectNode) estate.withArray("subscriptions").get(0)).put("subscriptionId", "prod");
            default -> throw new IllegalArgumentException(mutation);
        }
        return estate.toString();
    }

    Stream<Arguments> cases() throws Exception {
        String vm = VM;
        List<Case> c = new ArrayList<>();
        // ---- Event Grid events and CloudEvents
        c.add(event("malformed JSON", "{\"id\":"));
        c.add(event("empty body", ""));
        c.add(event("empty array", "[]"));
        c.add(event("a number", "42"));
        c.add(event("a string", "\"hello\""));
        c.add(event("array of numbers", "[1,2,3]"));
        c.add(event("missing eventType", vmEvent(vm).replace("\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",", "")));
        c.add(event("eventType a number", vmEvent(vm).replace("\"Microsoft.Resources.ResourceWriteSuccess\"", "7")));
        c.add(event("missing subject", "{\"id\":\"1\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\","
                + "\"dataVersion\":\"2\",\"eventTime\":\"2026-11-23T10:00:00Z\",\"data\":{}}"));
        c.add(event("missing data", "{\"id\":\"1\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\","
                + "\"subject\":\"" + vm + "\",\"dataVersion\":\"2\",\"eventTime\":\"2026-11-23T10:00:00Z\"}"));
        c.add(event("data an array", "{\"id\":\"1\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\","
                + "\"subject\":\"" + vm + "\",\"dataVersion\":\"2\",\"eventTime\":\"2026-11-23T10:00:00Z\",\"data\":[1]}"));
        c.add(event("operationName a number", vmEvent(vm).replace("\"Microsoft.Compute/virtualMachines/write\"", "1")));
        c.add(event("routed type without operationName", vmEvent(vm).replace(
                "\"operationName\":\"Microsoft.Compute/virtualMachines/write\",", "")));
        c.add(event("'..' in the resource id", vmEvent("/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/"
                + "Microsoft.Compute/virtualMachines/../../rg-data/x")));
        c.add(event("encoded slash in the resource id", vmEvent("/subscriptions/" + SUB + "/resourceGroups/rg-web/"
                + "providers/Microsoft.Compute/virtualMachines/a%2F..%2Fb")));
        c.add(event("non-GUID subscription", vmEvent("/subscriptions/prod/resourceGroups/rg-web/providers/"
                + "Microsoft.Compute/virtualMachines/vm1")));
        c.add(event("data.subscriptionId of another subscription", eg(vm, "Microsoft.Compute/virtualMachines/write",
                ",\"subscriptionId\":\"" + OTHER_SUB + "\"")));
        c.add(event("a NIC as a VM write", vmEvent("/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/"
                + "Microsoft.Network/networkInterfaces/nic1")));
        c.add(event("eventTime not a timestamp", vmEvent(vm).replace("2026-11-23T10:00:00Z", "yesterday")));
        c.add(event("deeply nested", "{\"x\":" + nested(5000) + "}"));
        c.add(event("larger than 1 MB", "[" + ("\"" + "x".repeat(1000) + "\",").repeat(1100) + "1]"));
        c.add(event("duplicate keys", vmEvent(vm).replace("{\"id\":\"1\",", "{\"id\":\"1\",\"id\":\"2\",")));
        c.add(event("trailing tokens", vmEvent(vm) + " {}"));
        c.add(event("more than 5000 events", "[" + "{},".repeat(5001) + "{}]"));
        c.add(event("CloudEvent specversion 0.3", "{\"specversion\":\"0.3\",\"id\":\"1\",\"type\":"
                + "\"Microsoft.Resources.ResourceWriteSuccess\",\"source\":\"/subscriptions/" + SUB + "\",\"data\":{}}"));
        c.add(event("CloudEvent without source", "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":"
                + "\"Microsoft.Resources.ResourceWriteSuccess\",\"subject\":\"" + vm + "\",\"data\":{}}"));
        c.add(event("CloudEvent data_base64", "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":"
                + "\"Microsoft.Resources.ResourceWriteSuccess\",\"source\":\"/subscriptions/" + SUB
                + "\",\"data_base64\":\"e30=\"}"));
        c.add(event("CloudEvent type a number", "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":3,\"source\":\"x\","
                + "\"data\":{}}"));
        c.add(new Case("event: subscription outside JITGUARD_SUBSCRIPTIONS (another tenant's)",
                Map.of("JITGUARD_SUBSCRIPTIONS", SUB), List.of("handle-event", "--file", "@FILE"),
                vmEvent("/subscriptions/" + OTHER_SUB + "/resourceGroups/rg/providers/Microsoft.Compute/"
                        + "virtualMachines/vm1")));
        // ---- fix --scope
        c.add(scope("empty", ""));
        c.add(scope("'..' segment", "/subscriptions/" + SUB + "/resourceGroups/../resourceGroups/rg-web"));
        c.add(scope("encoded slash", "/subscriptions/" + SUB + "/resourceGroups/rg-web%2Fx"));
        c.add(scope("non-GUID subscription", "/subscriptions/prod"));
        c.add(scope("no /subscriptions prefix", "/resourceGroups/rg-web"));
        c.add(scope("query string", "/subscriptions/" + SUB + "?api-version=2020-01-01"));
        c.add(scope("backslash", "/subscriptions/" + SUB + "\\resourceGroups\\rg-web"));
        c.add(scope("newline", "/subscriptions/" + SUB + "\n/resourceGroups/rg-web"));
        c.add(scope("3000 characters", "/subscriptions/" + SUB + "/resourceGroups/" + "r".repeat(3000)));
        c.add(scope("a storage account", "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/"
                + "Microsoft.Storage/storageAccounts/st1"));
        c.add(new Case("fix --scope: subscription outside JITGUARD_SUBSCRIPTIONS", Map.of("JITGUARD_SUBSCRIPTIONS", SUB),
                List.of("fix", "--scope", "/subscriptions/" + OTHER_SUB), null));
        c.add(new Case("fix --report into a missing directory", Map.of(),
                List.of("fix", "--scope", VM, "--report", "/nonexistent/dir/report.json"), null));
        // ---- estate files
        c.add(estate("malformed JSON", "{\"tenantId\":"));
        c.add(estate("deeply nested", "{\"tenantId\":" + nested(5000) + "}"));
        for (String m : List.of("no-tenant", "page-size", "fault-rate", "foreign-resource", "duplicate", "dotdot",
                "sub-not-guid")) {
            c.add(estate(m, estateWith(m)));
        }
        c.add(new Case("emulator --port 70000", Map.of(), List.of("emulator", "--port", "70000", "--estate",
                "examples/estate.json"), null));
        c.add(new Case("emulator --fault-rate 7", Map.of(), List.of("emulator", "--port", "0", "--fault-rate", "7",
                "--estate", "examples/estate.json"), null));
        // ---- settings
        c.add(setting("JITGUARD_PORTS", "70000"));
        c.add(setting("JITGUARD_PORTS", "22,abc"));
        c.add(setting("JITGUARD_PORTS", "-1"));
        c.add(setting("JITGUARD_MAX_DURATION", "PT1M"));
        c.add(setting("JITGUARD_MAX_DURATION", "P2D"));
        c.add(setting("JITGUARD_MAX_DURATION", "three hours"));
        c.add(setting("JITGUARD_MODE", "yolo"));
        c.add(setting("JITGUARD_SUBSCRIPTIONS", "prod"));
        c.add(setting("JITGUARD_SOURCE_PREFIXES", "300.1.1.1/8"));
        c.add(setting("JITGUARD_ARM_ENDPOINT", "http://management.azure.com/"));
        c.add(setting("JITGUARD_ARM_TOKEN", "two words\n"));
        c.add(setting("AzureWebJobsStorage", "not a connection string"));
        c.add(setting("AzureWebJobsStorage__accountName", "Bad_Name!"));
        c.add(setting("AzureWebJobsStorage__blobServiceUri", "ftp://example.com/"));
        c.add(new Case("setting AzureWebJobsStorage__clientId=me", Map.of("AzureWebJobsStorage__accountName",
                "jitguardst", "AzureWebJobsStorage__clientId", "me"), List.of("fix", "--scope", VM), null));
        return c.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(1)
    void isRejectedWithAReasonAndNoWrite(Case c) throws Exception {
        cases++;
        Map<String, String> env = new HashMap<>(Fleet.env(emulator));
        env.putAll(c.env());
        List<String> args = new ArrayList<>();
        for (String a : c.args()) {
            if (a.equals("@FILE")) {
                Path file = Files.createTempFile(dir, "input", ".json");
                Files.writeString(file, c.file());
                a = file.toString();
            }
            args.add(a);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(120), // only a hang fails; a slow machine does not
                () -> Main.run(env, args.toArray(String[]::new),
                new PrintWriter(out, true), new PrintWriter(err, true)));

        assertThat(code).as("exit code; stdout: " + out + "; stderr: " + err).isEqualTo(2);
        assertThat(err.toString().strip()).as("a reason").isNotBlank().hasSizeLessThan(4000);
        assertThat(emulator.stats().writes()).as("ARM writes").isZero();
    }

    @Test
    @Order(2)
    void afterAllThatAValidCommandStillWorks() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(Fleet.env(emulator), new String[] {"fix", "--scope", VM}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isIn(0, 1);
        assertThat(out.toString()).contains("vm-web-2");
        assertThat(emulator.stats().writes()).isPositive();
        System.out.printf("[reliability] hostile input: %d cases refused with exit 2, 0 writes; then a valid fix"
                + " wrote %d%n", cases, emulator.stats().writes());
    }
}
