package io.jitguard.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** An {@link Arm} that hands every call to another; a wrapper overrides only the calls it watches or changes. */
public abstract class ForwardingArm implements Arm {
    protected final Arm delegate;

    protected ForwardingArm(Arm delegate) {
        this.delegate = delegate;
    }

    @Override
    public JsonNode get(ArmOperation operation, String path) {
        return delegate.get(operation, path);
    }

    @Override
    public List<JsonNode> list(ArmOperation operation, String path) {
        return delegate.list(operation, path);
    }

    @Override
    public JsonNode put(ArmOperation operation, String path, JsonNode body) {
        return delegate.put(operation, path, body);
    }

    @Override
    public List<JsonNode> postPages(ArmOperation operation, String path) {
        return delegate.postPages(operation, path);
    }

    @Override
    public ArmCalls calls() {
        return delegate.calls();
    }

    @Override
    public ArmCalls callsOnThisThread() {
        return delegate.callsOnThisThread();
    }

    @Override
    public <T> java.util.function.Supplier<T> onBehalfOfThisThread(java.util.function.Supplier<T> work) {
        return delegate.onBehalfOfThisThread(work);
    }
}
