package io.jitguard.model;

import java.time.Duration;
import java.util.List;

/**
 * One port rule of a VM in a JIT policy.
 *
 * @param sourcePrefixes {@code allowedSourceAddressPrefix} as a one-element list, or {@code allowedSourceAddressPrefixes}
 */
public record PortRule(int number, String protocol, Duration maxRequestAccessDuration, List<String> sourcePrefixes) {
    public PortRule {
        sourcePrefixes = List.copyOf(sourcePrefixes);
    }

    public boolean anySource() {
        return sourcePrefixes.contains("*");
    }
}
