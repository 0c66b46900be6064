package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.baseline.SettingsException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostStorageTest {
    @Test
    void identityBasedStorageAsInfraDeploysItUsesTheAccountsBlobEndpoint() {
        assertThat(HostStorage.container(Map.of("AzureWebJobsStorage__accountName", "stjitguard01")).orElseThrow()
                .getBlobContainerUrl()).isEqualTo("https://stjitguard01.blob.core.windows.net/jitguard-locks");
        assertThat(HostStorage.container(Map.of("AzureWebJobsStorage__blobServiceUri",
                "https://st2.blob.core.windows.net", "AzureWebJobsStorage__clientId",
                "0000aaaa-0000-4000-8000-00000000a11e")).orElseThrow().getBlobContainerUrl())
                .isEqualTo("https://st2.blob.core.windows.net/jitguard-locks");
    }

    @Test
    void aConnectionStringWinsAndDevelopmentStorageWorks() {
        assertThat(HostStorage.container(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true",
                "AzureWebJobsStorage__accountName", "ignored")).orElseThrow().getBlobContainerUrl())
                .startsWith("http://127.0.0.1:10000/devstoreaccount1/jitguard-locks");
    }

    @Test
    void noStorageMeansInProcessLocks() {
        assertThat(HostStorage.policyLocks(Map.of(), java.time.Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void malformedStorageSettingsAreNamed() {
        assertThatThrownBy(() -> HostStorage.container(Map.of("AzureWebJobsStorage", "nonsense")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("AzureWebJobsStorage");
        assertThatThrownBy(() -> HostStorage.container(Map.of("AzureWebJobsStorage__accountName", "Not_An_Account")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("AzureWebJobsStorage__accountName");
        assertThatThrownBy(() -> HostStorage.container(Map.of("AzureWebJobsStorage__blobServiceUri",
                "http://st.blob.core.windows.net"))).isInstanceOf(SettingsException.class);
    }
}
