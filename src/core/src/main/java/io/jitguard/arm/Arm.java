package io.jitguard.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The port to Azure Resource Manager. Paths are ARM resource paths ({@code /subscriptions/...}); the api-version comes
 * from the operation. Every method throws {@link ArmException} on failure, with ARM's code and message.
 */
public interface Arm {
    JsonNode get(ArmOperation operation, String path);

    /** Every item of a list, following {@code nextLink}. */
    List<JsonNode> list(ArmOperation operation, String path);

    /**
     * Every item of a list, each mapped by {@code each} as its page is read: an adapter that streams pages keeps only
     * what {@code each} returns, never a whole page's documents.
     */
    default <T> List<T> list(ArmOperation operation, String path, java.util.function.Function<JsonNode, T> each) {
        return list(operation, path).stream().map(each).toList();
    }

    JsonNode put(ArmOperation operation, String path, JsonNode body);

    /**
     * Every item of a POST that reads in pages ({@code listNetworkManagerEffectiveSecurityAdminRules}): the body
     * {@code {"skipToken": …}} of each request carries the previous answer's {@code skipToken}; items are {@code value[]}.
     */
    List<JsonNode> postPages(ArmOperation operation, String path);

    /** Requests sent so far by this client. */
    ArmCalls calls();

    /**
     * Requests sent so far by this client from the calling thread. A reconcile run is single-threaded, so the
     * difference of two readings is that run's own calls even while other runs share the client.
     */
    default ArmCalls callsOnThisThread() {
        return calls();
    }

    /**
     * {@code work} for another thread, its calls counted in this thread's {@link #callsOnThisThread()}: a read split
     * into independent requests sent together still counts as the run's own.
     */
    default <T> java.util.function.Supplier<T> onBehalfOfThisThread(java.util.function.Supplier<T> work) {
        return work;
    }
}
