package io.jitguard.azure;

import io.jitguard.model.ArmId;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.jitguard.baseline.Settings;
import io.jitguard.baseline.SettingsException;
import io.jitguard.engine.PolicyLocks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The function app's own storage account ({@code AzureWebJobsStorage}), as the Functions host reads it: a connection
 * string ({@code AzureWebJobsStorage}, e.g. {@code UseDevelopmentStorage=true} locally), or identity-based
 * ({@code AzureWebJobsStorage__blobServiceUri} or {@code AzureWebJobsStorage__accountName}, with
 * {@code AzureWebJobsStorage__clientId} for a user-assigned identity), which is what infra deploys.
 */
public final class HostStorage {
    public static final String ACCOUNT_NAME = Settings.STORAGE + "__accountName";
    public static final String BLOB_SERVICE_URI = Settings.STORAGE + "__blobServiceUri";
    public static final String CLIENT_ID = Settings.STORAGE + "__clientId";
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final Pattern GUID = ArmId.GUID;

    private HostStorage() {
    }

    /** Blob-lease policy locks in the host's storage account, or empty when no storage is configured. */
    public static Optional<PolicyLocks> policyLocks(Map<String, String> env, Duration maxWait) {
        return container(env).map(c -> new BlobLeasePolicyLocks(c, maxWait));
    }

    static Optional<BlobContainerClient> container(Map<String, String> env) {
        String connection = value(env, Settings.STORAGE);
        if (connection != null) {
            try {
                return Optional.of(new BlobServiceClientBuilder().connectionString(connection).buildClient()
                        .getBlobContainerClient(BlobLeasePolicyLocks.CONTAINER));
            } catch (RuntimeException e) {
                throw new SettingsException(Settings.STORAGE, "not a usable storage connection string ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        String endpoint = value(env, BLOB_SERVICE_URI);
        if (endpoint == null) {
            String account = value(env, ACCOUNT_NAME);
            if (account == null) {
                return Optional.empty();
            }
            if (!ACCOUNT.matcher(account).matches()) {
                throw new SettingsException(ACCOUNT_NAME, "'" + account + "' is not a storage account name");
            }
            endpoint = "https://" + account + ".blob.core.windows.net";
        } else {
            checkBlobServiceUri(endpoint);
        }
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
        String clientId = value(env, CLIENT_ID);
        if (clientId != null) {
            if (!GUID.matcher(clientId).matches()) {
                throw new SettingsException(CLIENT_ID, "must be a client id (a GUID)");
            }
            credential.managedIdentityClientId(clientId);
        }
        return Optional.of(new BlobServiceClientBuilder().endpoint(endpoint).credential(credential.build())
                .buildClient().getBlobContainerClient(BlobLeasePolicyLocks.CONTAINER));
    }

    private static void checkBlobServiceUri(String raw) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(raw);
        } catch (java.net.URISyntaxException e) {
            throw new SettingsException(BLOB_SERVICE_URI, "must be an https URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            throw new SettingsException(BLOB_SERVICE_URI, "must be an https URL without query or user info");
        }
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
