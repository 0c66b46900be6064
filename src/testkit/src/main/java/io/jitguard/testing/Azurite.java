package io.jitguard.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Azurite, the Azure Storage emulator, for tests that need a real queue or blob service. Endpoints come from
 * {@code AZURITE_QUEUE_ENDPOINT} / {@code AZURITE_BLOB_ENDPOINT}, else Azurite's defaults on 127.0.0.1, with the
 * well-known development account. As an extension ({@code @ExtendWith(Azurite.class)}) it checks Azurite answers:
 * when it does not, the tests are skipped with how to start it, except under {@code CI=true}, where they fail.
 */
public final class Azurite implements BeforeEachCallback {
    public static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's published development key (not a secret). */
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    static final String DEFAULT_QUEUE = "http://127.0.0.1:10001/" + ACCOUNT;
    static final String DEFAULT_BLOB = "http://127.0.0.1:10000/" + ACCOUNT;

    public static String queueEndpoint() {
        return setting("AZURITE_QUEUE_ENDPOINT", DEFAULT_QUEUE);
    }

    public static String blobEndpoint() {
        return setting("AZURITE_BLOB_ENDPOINT", DEFAULT_BLOB);
    }

    /** A storage connection string such as {@code AzureWebJobsStorage} holds, for these endpoints. */
    public static String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + blobEndpoint() + ";QueueEndpoint=" + queueEndpoint() + ";";
    }

    public static boolean running() {
        return answers(queueEndpoint()) && answers(blobEndpoint());
    }

    /** Skips the calling test when Azurite is not running, or fails it under {@code CI=true}. */
    public static void require() {
        if (running()) {
            return;
        }
        String message = "Azurite is not running at " + queueEndpoint() + " / " + blobEndpoint()
                + ": start it with `bash .ci/azurite.sh` (or `npx azurite --silent --inMemoryPersistence"
                + " --skipApiVersionCheck --loose`)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " — CI must run these tests");
        }
        Assumptions.assumeTrue(false, message);
    }

    /** Per test, so each skipped test is reported as skipped, with the reason. */
    @Override
    public void beforeEach(ExtensionContext context) {
        require();
    }

    private static boolean answers(String endpoint) {
        URI uri = URI.create(endpoint);
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
