package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import java.util.List;

/**
 * One rule about a VM. Pure: everything it may look at is in the {@link VmContext}. Returns nothing when the VM
 * passes. Checks run in the order of {@link Checks#ALL}; a finding whose kind {@linkplain FindingKind#stops() stops}
 * the VM ends its evaluation. To add a rule: one class implementing this, one line in {@link Checks#ALL}.
 */
@FunctionalInterface
public interface VmCheck {
    List<Finding> check(VmContext ctx, Baseline baseline);
}
