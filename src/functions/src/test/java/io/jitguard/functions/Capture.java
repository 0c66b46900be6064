package io.jitguard.functions;

import com.microsoft.azure.functions.OutputBinding;

/** The output binding the worker hands a function: the host writes its value after the function returns. */
final class Capture<T> implements OutputBinding<T> {
    private T value;

    @Override
    public T getValue() {
        return value;
    }

    @Override
    public void setValue(T value) {
        this.value = value;
    }
}
