package io.jitguard.model;

/** {@code Microsoft.Security/pricings/VirtualMachines} of a subscription. */
public record DefenderPlan(String pricingTier, String subPlan) {
    public static final DefenderPlan FREE = new DefenderPlan("Free", null);

    /** JIT needs Defender for Servers Plan 2. */
    public boolean enablesJit() {
        return "Standard".equalsIgnoreCase(pricingTier) && "P2".equalsIgnoreCase(subPlan);
    }

    public String label() {
        return subPlan == null ? pricingTier : pricingTier + "/" + subPlan;
    }
}
