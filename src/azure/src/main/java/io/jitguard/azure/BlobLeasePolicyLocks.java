package io.jitguard.azure;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.engine.LockUnavailableException;
import io.jitguard.engine.PolicyLocks;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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

    @Override
    public <T> T withLock(String policyId, Supplier<T> work) {
        return withLock(policyId, Optional.empty(), work);
    }

    /** Waits at most the shorter of {@code waitAtMost} and this lock's own bound, in-process and for the lease. */
    @Override
    public <T> T withLock(String policyId, Optional<Duration> waitAtMost, Supplier<T> work) {
        Duration wait = waitAtMost.filter(w -> w.compareTo(maxWait) < 0).orElse(maxWait);
        Instant deadline = Instant.now().plus(wait);
        return local.withLock(policyId, Optional.of(wait), () -> {
            BlobLeaseClient lease = acquire(policyId, deadline, wait);
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

    private BlobLeaseClient acquire(String policyId, Instant deadline, Duration wait) {
        try {
            return tryAcquire(policyId, deadline, wait);
        } catch (LockUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // Storage unreachable, auth refused, …: never write the policy unlocked; report it retryable.
            throw new LockUnavailableException("the lease for " + policyId + " could not be taken: "
                    + describe(e), e);
        }
    }

    private BlobLeaseClient tryAcquire(String policyId, Instant deadline, Duration wait) {
        BlobClient blob = container.getBlobClient(blobName(policyId));
        ensureBlob(blob);
        BlobLeaseClient lease = new BlobLeaseClientBuilder().blobClient(blob).buildClient();
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
                            + " longer than " + wait, e);
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
