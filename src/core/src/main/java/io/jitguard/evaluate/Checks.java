package io.jitguard.evaluate;

import java.util.List;

/**
 * Every VM check, in the order they run. The order is the precedence of report-only findings: the first that stops
 * a VM decides its state and reason (an excluded VM is not also called unsupported; an unsupported one is not also
 * called blocked). Adding a rule = one {@link VmCheck} class + one line here.
 */
public final class Checks {
    public static final List<VmCheck> ALL = List.of(
            new ExclusionCheck(),
            new ManagedGroupCheck(),
            new ClassicCheck(),
            new NetworkProtectionCheck(),
            new NameLengthCheck(),
            new DefenderPlanCheck(),
            new CoverageCheck(),
            new ExposureCheck());

    /** {@link #ALL} but the last, {@link #EXPOSURE}: report-only, it stops no VM and changes no write. */
    static final List<VmCheck> BEFORE_EXPOSURE = ALL.subList(0, ALL.size() - 1);
    /** The last check, the only one that reads the NSG documents and admin rules ({@link ExposureInputs}). */
    static final VmCheck EXPOSURE = ALL.get(ALL.size() - 1);

    private Checks() {
    }
}
