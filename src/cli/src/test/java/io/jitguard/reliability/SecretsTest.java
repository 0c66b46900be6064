package io.jitguard.reliability;

import io.jitguard.testing.Azurite;
import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ARM token and the storage key never appear in anything jitguard writes: stdout, stderr (SDK logs included),
 * report files, or what the emulator recorded — on the happy path and on the failure paths (ARM faults, storage
 * refusing the key, a malformed token).
 */
class SecretsTest {
    static final String TOKEN_SIGNATURE = "SECRET-CANARY-SIGNATURE-7f3a9c";
    static final String TOKEN = "eyJhbGciOiJub25lIn0."
            + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"appid\":\"canary-app\"}".getBytes())
            + "." + TOKEN_SIGNATURE;
    static final String KEY_TEXT = "SECRET-CANARY-STORAGE-KEY-0b1d";
    static final String KEY = Base64.getEncoder().encodeToString(KEY_TEXT.getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;

    @Test
    void tokenAndStorageKeyNeverLeak() throws Exception {
        Azurite.require();
        List<String> captured = new ArrayList<>();
        try (ArmEmulator emulator = ArmEmulator.start(Fleet.example(), 0)) {
            Map<String, String> env = Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN", TOKEN);
            Map<String, String> badKey = Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN",
                    TOKEN, "AzureWebJobsStorage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                            + "AccountKey=" + KEY + ";BlobEndpoint=" + Azurite.blobEndpoint() + ";");

            captured.add(cli(env, "sweep", "--dry-run", "--report", tmp.resolve("r1.json").toString()));
            // the storage account refuses the key: the lease fails, the report says so, the key is not in it
            captured.add(cli(badKey, "fix", "--scope", Fleet.vmId("rg-web", "vm-web-2"), "--report",
                    tmp.resolve("r2.json").toString()));
            assertThat(Files.readString(tmp.resolve("r2.json"))).contains("LockUnavailable");
            // ARM faults on every write: errors are printed and reported
            emulator.faults().script(ScriptedFault.status("PUT", "jitNetworkAccessPolicies", 403, 50));
            captured.add(cli(env, "sweep", "--report", tmp.resolve("r3.json").toString()));
            emulator.faults().clear();
            captured.add(cli(env, "sweep", "--report", tmp.resolve("r4.json").toString()));
            Path events = tmp.resolve("events.json");
            Files.writeString(events, Fleet.array(emulator.events().stream().map(Object::toString).toList())
                    .toString());
            captured.add(cli(env, "handle-event", "--file", events.toString()));
            // a malformed token is refused without being echoed
            captured.add(cli(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN",
                    TOKEN + " " + TOKEN_SIGNATURE), "sweep"));
            for (String f : List.of("r1.json", "r2.json", "r3.json", "r4.json")) {
                captured.add(Files.readString(tmp.resolve(f)));
            }
            captured.add(emulator.events().toString());
            captured.add(emulator.stats().toString());
        }
        String all = String.join("\n", captured);
        assertThat(all).contains("vm-web-2"); // the capture is real
        assertThat(all).doesNotContain(TOKEN).doesNotContain(TOKEN_SIGNATURE).doesNotContain(KEY)
                .doesNotContain(KEY_TEXT);
        System.out.printf("[reliability] secrets: %d captures (%d chars) of 6 CLI runs in child JVMs, 4 reports,"
                + " emulator events: no token, no storage key%n", captured.size(), all.length());
    }

    /** Runs the CLI in a child JVM and returns everything it printed. */
    private String cli(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String prop : List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
                "javax.net.ssl.trustStoreType")) {
            if (System.getProperty(prop) != null) {
                cmd.add("-D" + prop + "=" + System.getProperty(prop));
            }
        }
        cmd.add("io.jitguard.cli.Main");
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "cli", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("AzureWebJobsStorage");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return "exit " + p.exitValue() + "\n" + Files.readString(log);
    }
}
