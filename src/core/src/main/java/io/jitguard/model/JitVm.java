package io.jitguard.model;

import java.util.List;

/** A VM entry of a JIT policy. */
public record JitVm(String id, List<PortRule> ports) {
    public JitVm {
        ports = List.copyOf(ports);
    }
}
