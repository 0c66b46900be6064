package io.jitguard.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Defender for Cloud pricings ({@code Microsoft.Security/pricings}, 2024-01-01) as JIT sees them. */
final class DefenderPlans {
    private DefenderPlans() {
    }

    static String vmPricingId(String subId) {
        return "/subscriptions/" + subId + "/providers/Microsoft.Security/pricings/VirtualMachines";
    }

    static void requirePlan2(ResourceStore store, String subId) {
        ObjectNode p = store.find(vmPricingId(subId));
        String tier = p == null ? "Free" : p.path("properties").path("pricingTier").asText("Free");
        String subPlan = p == null ? "" : p.path("properties").path("subPlan").asText("");
        if (!tier.equalsIgnoreCase("Standard") || !subPlan.equalsIgnoreCase("P2")) {
            throw new ArmHttp.ArmError(400, "DefenderForServersPlan2Required", "Just-in-time VM access requires Microsoft"
                    + " Defender for Servers Plan 2 on subscription '" + subId + "' (pricing VirtualMachines is pricingTier '"
                    + tier + "'" + (subPlan.isEmpty() ? "" : ", subPlan '" + subPlan + "'") + ").");
        }
    }

    static ObjectNode freePricing(String subId) {
        ObjectNode p = ArmHttp.NODES.objectNode();
        p.put("id", vmPricingId(subId));
        p.put("name", "VirtualMachines");
        p.put("type", ArmEmulator.PRICING_TYPE);
        p.putObject("properties").put("pricingTier", "Free");
        return p;
    }
}
