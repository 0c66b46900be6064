package io.jitguard.azure;

import com.azure.storage.blob.BlobContainerClient;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.engine.PolicyLocks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The function app's own storage ({@code AzureWebJobsStorage} and its identity-based forms, see {@link HostStorage}),
 * validated once. It holds the per-policy blob leases; without it, locks are held inside this process only.
 */
public final class StorageSettings {
    private final Optional<BlobContainerClient> lockContainer;

    private StorageSettings(Optional<BlobContainerClient> lockContainer) {
        this.lockContainer = lockContainer;
    }

    /** @throws io.jitguard.baseline.SettingsException naming the setting when a value is malformed (never echoing a key) */
    public static StorageSettings parse(Map<String, String> env) {
        return new StorageSettings(HostStorage.container(env));
    }

    /** True when policy locks are blob leases every instance (and a CLI with the same settings) shares. */
    public boolean shared() {
        return lockContainer.isPresent();
    }

    /** Blob-lease locks in the shared storage, else locks inside this process only. */
    public PolicyLocks policyLocks(Duration maxWait) {
        return lockContainer.<PolicyLocks>map(c -> new BlobLeasePolicyLocks(c, maxWait))
                .orElseGet(InProcessPolicyLocks::new);
    }
}
