package io.jitguard.model;

/**
 * {@code Microsoft.Security/pricings/VirtualMachines} of a subscription.
 *
 * @param subPlan           null when the pricing names none: "When not specified, full plan is applied" (pricings
 *                          2024-01-01 spec), i.e. Plan 2 for Defender for Servers
 * @param unavailableReason why the pricing could not be read (e.g. Microsoft.Security not registered); null when read
 */
public record DefenderPlan(String pricingTier, String subPlan, String unavailableReason) {
    public static final DefenderPlan FREE = new DefenderPlan("Free", null);

    public DefenderPlan(String pricingTier, String subPlan) {
        this(pricingTier, subPlan, null);
    }

    /** A plan that could not be read: JIT is blocked with {@code reason}. */
    public static DefenderPlan unavailable(String reason) {
        return new DefenderPlan("Unknown", null, reason);
    }

    /** JIT needs Defender for Servers Plan 2: {@code Standard} with sub-plan {@code P2} or none (the full plan). */
    public boolean enablesJit() {
        return unavailableReason == null && "Standard".equalsIgnoreCase(pricingTier)
                && (subPlan == null || subPlan.isBlank() || "P2".equalsIgnoreCase(subPlan));
    }

    public String label() {
        if (unavailableReason != null) {
            return "unknown";
        }
        return subPlan == null ? pricingTier : pricingTier + "/" + subPlan;
    }

    /** Why a VM of this subscription is blocked (only meaningful when {@link #enablesJit()} is false). */
    public String blockedReason() {
        return unavailableReason != null ? unavailableReason
                : "Defender for Servers Plan 2 is not enabled (pricing " + label() + ")";
    }
}
