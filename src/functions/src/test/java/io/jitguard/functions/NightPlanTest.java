package io.jitguard.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.read.VmCount;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NightPlanTest {
    static final String A = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String B = "aaaaaaaa-0000-4000-8000-000000000002";
    static final String C = "aaaaaaaa-0000-4000-8000-000000000003";

    static List<String> json(NightPlan plan) {
        return plan.items().stream().map(SweepMessage::toJson).toList();
    }

    @Test
    void sizesEachSubscriptionByItsVms() {
        NightPlan plan = NightPlan.of(List.of(A, B, C), List.of(
                new VmCount(A, "rg-1", 3), new VmCount(A, "rg-2", 2),
                new VmCount(B.toUpperCase(), "rg-big", 6), new VmCount(B, "rg-small", 1)), 5);

        assertThat(json(plan)).containsExactly(
                "{\"subscriptionId\":\"" + A + "\"}",
                "{\"scope\":\"/subscriptions/" + B + "/resourceGroups/rg-big\"}",
                "{\"scope\":\"/subscriptions/" + B + "/resourceGroups/rg-small\"}",
                "{\"subscriptionId\":\"" + B + "\",\"except\":[\"rg-big\",\"rg-small\"]}",
                "{\"scope\":\"/subscriptions/" + C
                        + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn\"}");
        assertThat(plan.notes()).containsExactly(
                "resource group " + B + "/rg-big holds 6 VMs, more than 5; it stays one item",
                "subscription " + B + " split: 7 VMs in 2 resource group item(s) and a remainder");
    }

    @Test
    void oneGroupSpelledTwoWaysIsOneItem() {
        NightPlan plan = NightPlan.of(List.of(A), List.of(new VmCount(A, "RG-1", 4), new VmCount(A, "rg-1", 4)), 5);

        assertThat(json(plan)).containsExactly("{\"scope\":\"/subscriptions/" + A + "/resourceGroups/RG-1\"}",
                "{\"subscriptionId\":\"" + A + "\",\"except\":[\"RG-1\"]}");
    }

    @Test
    void aSplitThatCannotBeNamedStaysOneItemAndSaysWhy() {
        NightPlan odd = NightPlan.of(List.of(A), List.of(new VmCount(A, "rg\n/x", 9)), 5);
        assertThat(json(odd)).containsExactly("{\"subscriptionId\":\"" + A + "\"}");
        assertThat(odd.notes()).singleElement().asString().contains("rg\\u000a/x").doesNotContain("\n");

        List<VmCount> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add(new VmCount(A, "rg-" + "x".repeat(80) + i, 10));
        }
        NightPlan tooMany = NightPlan.of(List.of(A), many, 5);
        assertThat(json(tooMany)).containsExactly("{\"subscriptionId\":\"" + A + "\"}");
        assertThat(tooMany.notes()).singleElement().asString().contains("do not fit one remainder message");
    }

    @Test
    void withoutACountEverySubscriptionIsOneItem() {
        assertThat(json(NightPlan.perSubscription(List.of(A, B))))
                .containsExactly("{\"subscriptionId\":\"" + A + "\"}", "{\"subscriptionId\":\"" + B + "\"}");
    }
}
