package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a newcomer does in the first hour, as the README says it: the emulator recipe pasted verbatim (the block is read
 * from README.md, so the two cannot drift), and every shipped example event through {@code handle-event}.
 *
 * <p>The emulator here keeps its own certificate under a home directory of the test's, so the JVM's trust store (which
 * trusts the other tests' emulators) does not trust it: only {@code JITGUARD_ARM_CA_FILE} from the README lets the
 * CLI in.
 */
class FirstHourTest {
    private static final String JAR = "java -jar target/jitguard.jar ";

    @TempDir
    Path home;
    private ArmEmulator emulator;
    private String stdout;
    private String stderr;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void theReadmesEmulatorRecipeRunsAsWritten() throws IOException {
        List<String> block = recipe();
        assertThat(block.get(0)).startsWith(JAR + "emulator ");
        List<String> exports = block.stream().filter(l -> l.startsWith("export ")).toList();
        List<String> commands = block.subList(1, block.size()).stream().filter(l -> l.startsWith(JAR)).toList();
        assertThat(exports).hasSize(2);
        assertThat(commands).isNotEmpty();

        // shell 1: the README's emulator command (on a free port instead of 8443), printing what shell 2 pastes
        String printed = startEmulator(args(block.get(0)));
        List<String> printedExports = printed.lines().filter(l -> l.startsWith("export ")).toList();
        String port = String.valueOf(emulator.port());
        assertThat(printedExports).as(printed).containsExactlyElementsOf(
                exports.stream().map(l -> l.replace("localhost:8443", "localhost:" + port)).toList());

        // shell 2: the exports as a shell would set them, then each command in turn
        Map<String, String> env = new HashMap<>();
        printedExports.forEach(line -> env.putAll(exported(line, home)));
        assertThat(env).containsOnlyKeys("JITGUARD_ARM_ENDPOINT", "JITGUARD_ARM_TOKEN", "JITGUARD_ARM_CA_FILE");
        Path out = home.resolve("tour");
        List<Integer> codes = new ArrayList<>();
        for (String command : commands) {
            String[] args = args(command.replace("target/tour", out.toString()));
            int code = Main.run(env, args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            codes.add(code);
            assertThat(code).as(command).isIn(0, 1);
        }
        assertThat(codes.get(0)).as("the dry run finds drift").isEqualTo(1);
        assertThat(emulator.stats().writes()).as("the event and the sweep fixed what they found").isPositive();
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("report.csv")).exists();
        // as the README says: a second sweep writes nothing
        long writes = emulator.stats().writes();
        run(env, "sweep");
        assertThat(emulator.stats().writes()).as(stdout + stderr).isEqualTo(writes);
    }

    @Test
    void withoutTheCaLineTheCliSaysTheCertificateIsNotTrustedAndStops() throws IOException {
        startEmulator(args(recipe().get(0)));
        Map<String, String> env = Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN", "t");

        int code = run(env, "sweep", "--dry-run");

        assertThat(code).as(stdout + stderr).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(stderr).contains(Diagnosis.UNTRUSTED);
        assertThat(stdout).contains("UntrustedCertificate");
        assertThat(emulator.stats().reads()).isZero(); // no request got through the handshake
    }

    @Test
    void aCaFileThatIsNotACertificateIsAnInputError() throws IOException {
        Path bogus = Files.writeString(home.resolve("ca.pem"), "not a certificate");
        Map<String, String> env = Map.of("JITGUARD_ARM_ENDPOINT", "https://localhost:1/", "JITGUARD_ARM_TOKEN", "t",
                "JITGUARD_ARM_CA_FILE", bogus.toString());

        assertThat(run(env, "sweep", "--dry-run")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("JITGUARD_ARM_CA_FILE").contains(bogus.toString());
        assertThat(run(Map.of("JITGUARD_ARM_TOKEN", "t", "JITGUARD_ARM_CA_FILE", home.resolve("nope.pem").toString()),
                "sweep")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("JITGUARD_ARM_CA_FILE").contains("cannot be read");
    }

    static Stream<Path> exampleEvents() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples/events"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleEvents")
    void everyExampleEventIsHandled(Path event) throws IOException {
        emulator = ArmEmulator.start(Estate.load(Path.of("examples/estate.json")), 0);
        Map<String, String> env = Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN", "t");
        Path report = home.resolve("report.json");

        int code = run(env, "handle-event", "--file", event.toString(), "--report", report.toString());

        assertThat(code).as(stdout + stderr).isIn(0, 1);
        assertThat(stdout).doesNotContain("nothing to reconcile").doesNotContain("ignored");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(report.toFile());
        assertThat(json.path("trigger").asText()).isEqualTo("cli:handle-event");
        assertThat(json.path("scopes")).hasSize(1);
        assertThat(json.path("failures")).as(stdout).isEmpty();
        assertThat(emulator.stats().reads()).as("the event became a scope that was read").isPositive();
        String name = event.getFileName().toString();
        String scope = json.path("scopes").get(0).asText();
        if (name.startsWith("vm-created")) {
            assertThat(scope).endsWith("/virtualMachines/vm-web-2");
            assertThat(json.path("vms")).anySatisfy(vm -> {
                assertThat(vm.path("id").asText()).endsWith("/vm-web-2");
                assertThat(vm.path("status").asText()).isEqualTo("fixed");
            });
        } else if (name.startsWith("vm-deleted")) {
            assertThat(scope).endsWith("/resourceGroups/rg-web");
        } else if (name.startsWith("jit-policy-deleted")) {
            assertThat(scope).endsWith("/resourceGroups/rg-web/providers/Microsoft.Security/locations/westeurope");
        } else {
            assertThat(scope).endsWith("/policyAssignments/SecurityCenterBuiltIn");
            assertThat(json.path("subscriptions").get(0).has("monitoringEffect")).isTrue();
        }
    }

    @Test
    void theExampleEventsCoverBothSchemasOfTheFourOperations() throws IOException {
        List<String> names = exampleEvents().map(p -> p.getFileName().toString()).toList();
        assertThat(names).containsExactlyInAnyOrder(
                "assignment-changed.cloudevents.json", "assignment-changed.eventgrid.json",
                "jit-policy-deleted.cloudevents.json", "jit-policy-deleted.eventgrid.json",
                "vm-created.cloudevents.json", "vm-created.eventgrid.json",
                "vm-deleted.cloudevents.json", "vm-deleted.eventgrid.json");
    }

    /** The lines of README.md's fenced block after the {@code emulator-recipe} marker, comments dropped. */
    static List<String> recipe() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int marker = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("<!-- emulator-recipe")) {
                marker = i;
            }
        }
        assertThat(marker).as("README.md has the emulator-recipe marker").isNotNegative();
        assertThat(lines.get(marker + 1)).startsWith("```");
        List<String> block = new ArrayList<>();
        for (int i = marker + 2; !lines.get(i).startsWith("```"); i++) {
            String line = lines.get(i).replaceAll("\\s+#.*$", "").strip();
            if (!line.isEmpty()) {
                block.add(line);
            }
        }
        return block;
    }

    /** Starts the emulator as the README's command does, on a free port; returns what it printed. */
    private String startEmulator(String[] readmeArgs) {
        EmulatorCommand command = new EmulatorCommand();
        String[] args = Arrays.copyOfRange(readmeArgs, 1, readmeArgs.length + 2);
        args[args.length - 2] = "--port";
        args[args.length - 1] = "0";
        new picocli.CommandLine(command).parseArgs(args);
        command.home = home;
        command.tlsDir = home.resolve(".jitguard/emulator-tls");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        EmulatorCommand.Started started = command.start(new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(started.emulator()).as(err.toString()).isNotNull();
        emulator = started.emulator();
        return out.toString();
    }

    /** {@code java -jar target/jitguard.jar a b c} → {@code [a, b, c]}. */
    private static String[] args(String command) {
        assertThat(command).startsWith(JAR);
        return command.substring(JAR.length()).trim().split("\\s+");
    }

    /** The variables an {@code export A=x B="y"} line sets, {@code $HOME} expanded as a shell would. */
    static Map<String, String> exported(String line, Path home) {
        Map<String, String> vars = new HashMap<>();
        Matcher m = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|'[^']*'|\\S+)").matcher(line.substring("export ".length()));
        while (m.find()) {
            String value = m.group(2);
            if (value.startsWith("'")) {
                value = value.substring(1, value.length() - 1);
            } else {
                value = value.replace("\"", "").replace("$HOME", home.toString());
            }
            vars.put(m.group(1), value);
        }
        return vars;
    }

    private int run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(env, args, new PrintWriter(out, true), new PrintWriter(err, true));
        stdout = out.toString();
        stderr = err.toString();
        return code;
    }
}
