package io.jitguard.reliability;

import io.jitguard.testing.Azurite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.jitguard.azure.BlobLeasePolicyLocks;
import io.jitguard.baseline.SettingsException;
import io.jitguard.cli.Main;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.runtime.JitguardConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The composition root picks blob leases from the function app's storage settings. */
class LockWiringTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void noStorageSettingMeansInProcessLocks() {
        assertThat(JitguardConfig.parse(Map.of()).storage().policyLocks(WAIT)).isInstanceOf(InProcessPolicyLocks.class);
    }

    @Test
    void identityBasedSettingsMeanBlobLeases() {
        assertThat(JitguardConfig.parse(Map.of("AzureWebJobsStorage__accountName", "jitguardst")).storage().policyLocks(WAIT))
                .isInstanceOf(BlobLeasePolicyLocks.class);
        assertThat(JitguardConfig.parse(Map.of("AzureWebJobsStorage__blobServiceUri",
                "https://jitguardst.blob.core.windows.net", "AzureWebJobsStorage__clientId",
                "0f0e0d0c-0b0a-0908-0706-050403020100")).storage().policyLocks(WAIT)).isInstanceOf(BlobLeasePolicyLocks.class);
    }

    @Test
    void aMalformedConnectionStringNamesTheSettingButNotTheValue() {
        assertThatThrownBy(() -> JitguardConfig.parse(Map.of("AzureWebJobsStorage",
                "AccountName=x;AccountKey=SECRET-KEY-VALUE;Nonsense")).storage().policyLocks(WAIT))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("AzureWebJobsStorage")
                .hasMessageNotContaining("SECRET-KEY-VALUE");
    }

    @Test
    void theCliTakesALeaseNamedAfterThePolicyWhenAzureWebJobsStorageIsSet() {
        Azurite.require();
        try (ArmEmulator emulator = ArmEmulator.start(Fleet.example(), 0)) {
            Map<String, String> env = new HashMap<>(Fleet.env(emulator));
            env.put("AzureWebJobsStorage", Azurite.connectionString());
            StringWriter err = new StringWriter();
            int code = Main.run(env, new String[] {"fix", "--scope", Fleet.vmId("rg-web", "vm-web-2")},
                    new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertThat(code).as(err.toString()).isIn(0, 1);
            assertThat(emulator.stats().writes()).isPositive();

            BlobContainerClient container = new BlobServiceClientBuilder()
                    .connectionString(Azurite.connectionString()).buildClient()
                    .getBlobContainerClient(BlobLeasePolicyLocks.CONTAINER);
            List<String> names = StreamSupport.stream(container.listBlobs().spliterator(), false)
                    .map(b -> b.getName()).toList();
            assertThat(names).contains(Fleet.POLICY.toLowerCase().substring(1));
        }
    }
}
