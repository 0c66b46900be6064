package io.jitguard.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArmOperationPathTest {
    static final String SUB = "11111111-1111-1111-1111-111111111111";

    @Test
    void encodesUnicodeParenthesesAndSpacesButNotTheSeparators() {
        assertThat(ArmPathTemplate.encode("/subscriptions/s/resourceGroups/rg-(prod)-é/x y"))
                .isEqualTo("/subscriptions/s/resourceGroups/rg-%28prod%29-%C3%A9/x%20y");
        assertThat(ArmPathTemplate.encode("/subscriptions/s/resourceGroups/rg_1.a~b")).isEqualTo("/subscriptions/s/resourceGroups/rg_1.a~b");
        assertThat(ArmPathTemplate.encode("/a/100%+")).isEqualTo("/a/100%25%2B");
    }

    @Test
    void fillsItsTemplateInOrder() {
        assertThat(ArmOperation.GET_VM.path(SUB, "rg", "vm-1"))
                .isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1");
        assertThat(ArmOperation.LIST_VMS.path("/subscriptions/" + SUB + "/resourceGroups/rg"))
                .isEqualTo("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines");
        assertThat(ArmOperation.LIST_JIT_POLICIES.path("/subscriptions/" + SUB))
                .isEqualTo("/subscriptions/" + SUB + "/providers/Microsoft.Security/jitNetworkAccessPolicies");
        assertThat(ArmOperation.LIST_JIT_POLICIES.path("/subscriptions/" + SUB + "/resourceGroups/rg", "westeurope"))
                .isEqualTo("/subscriptions/" + SUB
                        + "/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies");
        assertThat(ArmOperation.LIST_SUBSCRIPTIONS.path()).isEqualTo("/subscriptions");
    }

    @Test
    void refusesAMissingAnExtraOrABadValue() {
        assertThatThrownBy(() -> ArmOperation.GET_VM.path(SUB, "rg")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET_VM takes 3 path values").hasMessageContaining("{name}");
        assertThatThrownBy(() -> ArmOperation.GET_SUBSCRIPTION.path(SUB, "x")).hasMessageContaining("got 2");
        assertThatThrownBy(() -> ArmOperation.GET_VM.path(SUB, "rg", "a/b")).hasMessageContaining("{name} is not one path segment");
        assertThatThrownBy(() -> ArmOperation.GET_VM.path(SUB, "..", "vm")).hasMessageContaining("{rg} is not one path segment");
        assertThatThrownBy(() -> ArmOperation.GET_VM.path(SUB, "", "vm")).hasMessageContaining("{rg} is missing");
        assertThatThrownBy(() -> ArmOperation.GET_VM.path(SUB, "rg", "vm?x=1")).hasMessageContaining("'?'");
        assertThatThrownBy(() -> ArmOperation.LIST_VMS.path("/subscriptions/" + SUB + "/providers/x"))
                .hasMessageContaining("{scope} is not a subscription or resource group id");
    }

    @Test
    void checksAndEncodesTheRequestPath() {
        String rg = "/subscriptions/" + SUB + "/resourcegroups/rg-(prod)-é";
        assertThat(ArmOperation.GET_RESOURCE_GROUP.requestPath(rg))
                .isEqualTo("/subscriptions/" + SUB + "/resourcegroups/rg-%28prod%29-%C3%A9?api-version=2021-04-01");
        assertThat(ArmOperation.GET_RESOURCE_GROUP.matches(rg.toUpperCase(java.util.Locale.ROOT))).isTrue();
        assertThatThrownBy(() -> ArmOperation.GET_VM.requestPath(rg)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET_VM does not take the path");
        for (ArmOperation op : ArmOperation.values()) {
            String[] values = new String[(int) op.pathTemplate().chars().filter(c -> c == '{').count()];
            for (int i = 0; i < values.length; i++) {
                values[i] = op.pathTemplate().contains("{scope}") && i == 0 ? "/subscriptions/" + SUB : "x" + i;
            }
            assertThat(op.matches(op.path(values))).as(op.name()).isTrue();
        }
    }
}
