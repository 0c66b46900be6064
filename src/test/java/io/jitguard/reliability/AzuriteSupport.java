package io.jitguard.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assumptions;

/**
 * Azurite for the lease tests: {@code UseDevelopmentStorage=true} (127.0.0.1:10000), or the blob endpoint in
 * {@code AZURITE_BLOB_ENDPOINT}. Not reachable → the test fails when {@code CI=true}, else it is skipped.
 */
final class AzuriteSupport {
    static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's well-known development key (public, documented by Microsoft). */
    static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private AzuriteSupport() {
    }

    static String blobEndpoint() {
        String e = System.getenv("AZURITE_BLOB_ENDPOINT");
        return e == null || e.isBlank() ? "http://127.0.0.1:10000/" + ACCOUNT : e.strip();
    }

    static String connectionString() {
        String e = System.getenv("AZURITE_BLOB_ENDPOINT");
        if (e == null || e.isBlank()) {
            return "UseDevelopmentStorage=true";
        }
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + e.strip() + ";";
    }

    /** Skips (or, on CI, fails) the calling test when Azurite does not answer. */
    static void requireAzurite() {
        URI uri = URI.create(blobEndpoint());
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 500);
        } catch (IOException e) {
            String message = "Azurite is not reachable at " + uri.getHost() + ":" + port
                    + " (start it: azurite --silent --inMemoryPersistence --loose --blobHost 127.0.0.1)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
    }
}
