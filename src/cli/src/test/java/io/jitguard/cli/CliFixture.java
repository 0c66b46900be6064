package io.jitguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up every CLI test shares: the stateful emulator on an estate, the environment that points the CLI at it
 * (endpoint and token), {@link Main#run} with stdout and stderr captured, and a JSON report read back.
 *
 * <p>The emulator starts before each test on {@link #estate()} (the example estate unless overridden); a test class
 * whose estate depends on the test returns null there and calls {@link #start(Estate)} itself.
 */
abstract class CliFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    ArmEmulator emulator;
    Map<String, String> env;
    String stdout;
    String stderr;
    /**
     * The clock runs judge exclusion dates by, and the emulator's (JIT requests): a fixed instant, so no test depends
     * on when it runs; a test that depends on the day sets its own.
     */
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-12-07T10:00:00Z"),
            java.time.ZoneOffset.UTC);
    private final AtomicInteger files = new AtomicInteger();

    /** The estate each test starts on, or null to start it in the test with {@link #start(Estate)}. */
    Estate estate() throws IOException {
        return Estate.load(Path.of("examples/estate.json"));
    }

    @BeforeEach
    void startEmulator() throws IOException {
        Estate estate = estate();
        if (estate != null) {
            start(estate);
        }
    }

    /** Starts the emulator on {@code estate} and points {@link #env} at it. */
    void start(Estate estate) {
        emulator = ArmEmulator.start(estate, 0, EmulatorTls.tlsDir(), clock);
        env = new HashMap<>(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN", "test-token"));
    }

    @AfterEach
    void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    /** The CLI with {@link #env}; its output in {@link #stdout} and {@link #stderr}. */
    int run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(env, args, new PrintWriter(out, true), new PrintWriter(err, true), clock);
        stdout = out.toString();
        stderr = err.toString();
        return code;
    }

    /** A file name in {@link #tmp} no other call of this test has used: {@code prefix}, a counter, {@code .json}. */
    Path newFile(String prefix) {
        return tmp.resolve(prefix + files.incrementAndGet() + ".json");
    }

    JsonNode report(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }

    /** The exit code of the last {@link #sweep}. */
    int exit;

    /** {@code sweep --report FILE extra...}; its JSON report (the exit code in {@link #exit}). */
    JsonNode sweep(String... extra) throws IOException {
        Path file = newFile("r");
        String[] args = new String[extra.length + 3];
        args[0] = "sweep";
        args[1] = "--report";
        args[2] = file.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        exit = run(args);
        return report(file);
    }

    /**
     * Starts the emulator on the tenant estate (src/emulator/src/test/resources/tenant-estate.json, its MCSB v2
     * assignment named {@code SecurityCenterBuiltIn}) as {@code edit} changes it.
     */
    void startTenant(java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit)
            throws IOException {
        String text = Files.readString(Path.of("src/emulator/src/test/resources/tenant-estate.json"))
                .replace("policyAssignments/mcsb-v2", "policyAssignments/SecurityCenterBuiltIn");
        com.fasterxml.jackson.databind.node.ObjectNode estate =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(text);
        edit.accept(estate);
        start(Estate.parse(estate.toString()));
    }
}
