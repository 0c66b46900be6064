package io.jitguard.azure;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import io.jitguard.baseline.Settings;
import io.jitguard.baseline.SettingsException;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.engine.LockUnavailableException;
import io.jitguard.engine.PolicyLocks;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Serialises the read-modify-write of one JIT policy across processes (function instances, a CLI) through a blob
 * lease named after the policy id, and inside this process through a per-policy lock, so concurrent writers never
 * replace each other's additions. The lease is renewed while the work runs; waiting for it is bounded.
 *
 * <p>Any failure to take the lease (storage unreachable, 403, wait bound exceeded) is a
 * {@link LockUnavailableException}: the reconciler reports the policy as failed and retryable, and never writes it
 * unlocked.
 */
public final class BlobLeasePolicyLocks implements PolicyLocks {
    public static final String CONTAINER = "jitguard-locks";
    static final int LEASE_SECONDS = 30;
    static final Duration RENEW_EVERY = Duration.ofSeconds(10);
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]{3,24}");

    private final BlobContainerClient container;
    private final Duration maxWait;
    private final InProcessPolicyLocks local = new InProcessPolicyLocks();
    private final AtomicLong acquired = new AtomicLong();
    private final AtomicLong contended = new AtomicLong();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jitguard-lease-renewer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean containerReady;

    public BlobLeasePolicyLocks(BlobContainerClient container, Duration maxWait) {
        this.container = container;
        this.maxWait = maxWait;
    }

    /** From a storage connection string such as {@code AzureWebJobsStorage}'s (also {@code UseDevelopmentStorage=true}). */
    public static BlobLeasePolicyLocks fromConnectionString(String connectionString, Duration maxWait) {
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(connectionString)
                .buildClient().getBlobContainerClient(CONTAINER);
        return new BlobLeasePolicyLocks(container, maxWait);
    }

    /**
     * The locks the function app's storage settings describe, or empty when none is set:
     * <ol>
     *   <li>{@code AzureWebJobsStorage}: a connection string (Azurite, local runs);</li>
     *   <li>{@code AzureWebJobsStorage__blobServiceUri}: identity-based, that blob endpoint;</li>
     *   <li>{@code AzureWebJobsStorage__accountName}: identity-based, {@code https://<name>.blob.core.windows.net}
     *       (what infra deploys).</li>
     * </ol>
     * Identity-based connections authenticate with {@code DefaultAzureCredential} (the managed identity in Azure;
     * {@code AzureWebJobsStorage__clientId} selects a user-assigned one).
     *
     * @throws SettingsException naming the setting when a value is malformed; the value of a connection string is
     *                           never echoed (it holds the account key)
     */
    public static Optional<BlobLeasePolicyLocks> fromSettings(Map<String, String> env, Duration maxWait) {
        String connection = value(env, Settings.STORAGE);
        if (connection != null) {
            if (!connection.contains("=") || connection.length() > 4096) {
                throw new SettingsException(Settings.STORAGE, "is set but is not a storage connection string");
            }
            try {
                return Optional.of(fromConnectionString(connection, maxWait));
            } catch (RuntimeException e) {
                throw new SettingsException(Settings.STORAGE, "is set but is not a valid storage connection string");
            }
        }
        String blobUri = value(env, Settings.STORAGE_BLOB_URI);
        String account = value(env, Settings.STORAGE_ACCOUNT_NAME);
        URI endpoint;
        if (blobUri != null) {
            endpoint = blobEndpoint(blobUri);
        } else if (account != null) {
            if (!ACCOUNT_NAME.matcher(account).matches()) {
                throw new SettingsException(Settings.STORAGE_ACCOUNT_NAME,
                        "must be a storage account name (3-24 lower-case letters and digits)");
            }
            endpoint = URI.create("https://" + account + ".blob.core.windows.net");
        } else {
            return Optional.empty();
        }
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
        String clientId = value(env, Settings.STORAGE_CLIENT_ID);
        if (clientId != null) {
            if (!clientId.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                throw new SettingsException(Settings.STORAGE_CLIENT_ID, "must be a client id (a GUID)");
            }
            credential.managedIdentityClientId(clientId);
        }
        BlobContainerClient container = new BlobServiceClientBuilder().endpoint(endpoint.toString())
                .credential(credential.build()).buildClient().getBlobContainerClient(CONTAINER);
        return Optional.of(new BlobLeasePolicyLocks(container, maxWait));
    }

    private static URI blobEndpoint(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (Exception e) {
            throw new SettingsException(Settings.STORAGE_BLOB_URI, "is not a URL");
        }
        boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equalsIgnoreCase(uri.getHost());
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawUserInfo() != null
                || !("https".equalsIgnoreCase(uri.getScheme()) || ("http".equalsIgnoreCase(uri.getScheme()) && loopback))) {
            throw new SettingsException(Settings.STORAGE_BLOB_URI,
                    "must be an absolute https URL without query (http only for localhost)");
        }
        return uri;
    }

    private static String value(Map<String, String> env, String name) {
        String v = env == null ? null : env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    @Override
    public <T> T withLock(String policyId, Supplier<T> work) {
        return local.withLock(policyId, () -> {
            BlobLeaseClient lease = acquire(policyId);
            ScheduledFuture<?> renewal = renewer.scheduleAtFixedRate(() -> renew(lease),
                    RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return work.get();
            } finally {
                renewal.cancel(false);
                release(lease);
            }
        });
    }

    /** Leases taken so far. */
    public long acquired() {
        return acquired.get();
    }

    /** Attempts that found the lease held by another writer (each 409 while waiting). */
    public long contended() {
        return contended.get();
    }

    public Duration maxWait() {
        return maxWait;
    }

    static String blobName(String policyId) {
        String name = policyId.toLowerCase(Locale.ROOT);
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private BlobLeaseClient acquire(String policyId) {
        try {
            return tryAcquire(policyId);
        } catch (LockUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // Storage unreachable, auth refused, …: never write the policy unlocked; report it retryable.
            throw new LockUnavailableException("the lease for " + policyId + " could not be taken: "
                    + describe(e), e);
        }
    }

    private BlobLeaseClient tryAcquire(String policyId) {
        BlobClient blob = container.getBlobClient(blobName(policyId));
        ensureBlob(blob);
        BlobLeaseClient lease = new BlobLeaseClientBuilder().blobClient(blob).buildClient();
        Instant deadline = Instant.now().plus(maxWait);
        long backoffMs = 50;
        while (true) {
            try {
                lease.acquireLease(LEASE_SECONDS);
                acquired.incrementAndGet();
                return lease;
            } catch (BlobStorageException e) {
                if (e.getStatusCode() != 409) {
                    throw new LockUnavailableException("the lease for " + policyId + " could not be taken: "
                            + e.getErrorCode(), e);
                }
                contended.incrementAndGet();
                if (Instant.now().isAfter(deadline)) {
                    throw new LockUnavailableException("another writer held the lease for " + policyId
                            + " longer than " + maxWait, e);
                }
                sleep(backoffMs + ThreadLocalRandom.current().nextLong(backoffMs));
                backoffMs = Math.min(backoffMs * 2, 1000);
            }
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof BlobStorageException b) {
            return b.getStatusCode() + " " + b.getErrorCode();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private void ensureBlob(BlobClient blob) {
        if (!containerReady) {
            try {
                container.createIfNotExists();
            } catch (BlobStorageException e) {
                if (e.getStatusCode() != 409) {
                    throw e;
                }
            }
            containerReady = true;
        }
        try {
            blob.upload(new ByteArrayInputStream(new byte[0]), 0, false);
        } catch (BlobStorageException e) {
            // 409: it exists already (412 when leased by someone else): both mean it is there.
            if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
                throw e;
            }
        }
    }

    private static void renew(BlobLeaseClient lease) {
        try {
            lease.renewLease();
        } catch (RuntimeException e) {
            // The next renewal tries again; if the lease is lost, the verification read after the write re-plans.
        }
    }

    private static void release(BlobLeaseClient lease) {
        try {
            lease.releaseLease();
        } catch (RuntimeException e) {
            // It expires by itself within LEASE_SECONDS.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockUnavailableException("interrupted while waiting for a policy lease", e);
        }
    }
}
