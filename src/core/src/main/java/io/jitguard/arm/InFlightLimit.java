package io.jitguard.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * At most {@code permits} ARM requests in flight through this client, whichever threads send them: the run's scopes
 * and writes can then be worked on by more threads than that (evaluating one subscription while another's reads are
 * out) without sending more than {@code JITGUARD_PARALLELISM} requests at once. A list holds one permit while it
 * follows its pages (one request at a time); a thread never holds two.
 */
public final class InFlightLimit extends ForwardingArm {
    private final Semaphore permits;
    private final int limit;

    private InFlightLimit(Arm delegate, int permits) {
        super(delegate);
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, was " + permits);
        }
        this.limit = permits;
        this.permits = new Semaphore(permits, true);
    }

    public static InFlightLimit of(Arm arm, int permits) {
        return new InFlightLimit(arm, permits);
    }

    /** How many requests may be in flight at once. */
    public int limit() {
        return limit;
    }

    @Override
    public JsonNode get(ArmOperation operation, String path) {
        return limited(() -> delegate.get(operation, path));
    }

    @Override
    public List<JsonNode> list(ArmOperation operation, String path) {
        return limited(() -> delegate.list(operation, path));
    }

    @Override
    public <T> List<T> list(ArmOperation operation, String path, Function<JsonNode, T> each) {
        return limited(() -> delegate.list(operation, path, each));
    }

    @Override
    public JsonNode put(ArmOperation operation, String path, JsonNode body) {
        return limited(() -> delegate.put(operation, path, body));
    }

    @Override
    public List<JsonNode> postPages(ArmOperation operation, String path) {
        return limited(() -> delegate.postPages(operation, path));
    }

    private <T> T limited(Supplier<T> call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(0, "Interrupted", "interrupted while waiting to send an ARM request");
        }
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }
}
