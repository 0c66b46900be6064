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
        // "When not specified, full plan is applied" (pricings 2024-01-01): Standard without subPlan is Plan 2.
        if (!tier.equalsIgnoreCase("Standard") || !(subPlan.isEmpty() || subPlan.equalsIgnoreCase("P2"))) {
            throw new ArmHttp.ArmError(400, "DefenderForServersPlan2Required", "Just-in-time VM access requires Microsoft"
                    + " Defender for Servers Plan 2 on subscription '" + subId + "' (pricing VirtualMachines is pricingTier '"
                    + tier + "'" + (subPlan.isEmpty() ? "" : ", subPlan '" + subPlan + "'") + ").");
        }
    }

    /** ARM's answer on a subscription where {@code namespace} is not registered (409, as for any RP). */
    static ArmHttp.ArmError missingRegistration(String namespace) {
        String message = "The subscription is not registered to use namespace '" + namespace
                + "'. See https://aka.ms/rps-not-found for how to register subscriptions.";
        ObjectNode detail = ArmHttp.NODES.objectNode();
        detail.put("code", "MissingSubscriptionRegistration");
        detail.put("target", namespace);
        detail.put("message", message);
        return new ArmHttp.ArmError(409, "MissingSubscriptionRegistration", message, ArmHttp.NODES.arrayNode().add(detail));
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
