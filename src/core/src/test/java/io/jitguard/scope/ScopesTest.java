package io.jitguard.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScopesTest {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String SUB2 = "00000000-0000-0000-0000-000000000002";

    @Test
    void acceptsEverySupportedShape() {
        assertThat(Scopes.parse("/subscriptions/" + SUB)).isEqualTo(new SubscriptionScope(SUB));
        assertThat(Scopes.parse("/subscriptions/" + SUB + "/resourceGroups/rg-1"))
                .isEqualTo(new ResourceGroupScope(SUB, "rg-1"));
        assertThat(Scopes.parse("/SUBSCRIPTIONS/" + SUB + "/resourcegroups/My.Rg(1)_x"))
                .isEqualTo(new ResourceGroupScope(SUB, "My.Rg(1)_x"));
        assertThat(Scopes.parse("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"))
                .isEqualTo(new VmScope(SUB, "rg", "vm1"));
        assertThat(Scopes.parse("/subscriptions/" + SUB + "/resourcegroups/rg/providers/microsoft.compute/VIRTUALMACHINES/web-01"))
                .isEqualTo(new VmScope(SUB, "rg", "web-01"));
        assertThat(Scopes.parse("/subscriptions/" + SUB
                + "/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default"))
                .isEqualTo(new ResourceGroupScope(SUB, "rg", Optional.of("westeurope")));
        assertThat(Scopes.parse("/subscriptions/" + SUB + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn"))
                .isEqualTo(new MonitoringScope(SUB));
        assertThat(Scopes.parse("/subscriptions/" + SUB + "/providers/microsoft.authorization/policyassignments/securitycenterbuiltin"))
                .isEqualTo(new MonitoringScope(SUB));
    }

    @Test
    void everyScopeIdParsesBackToItself() {
        List<Scope> scopes = List.of(new SubscriptionScope(SUB), new ResourceGroupScope(SUB, "rg"),
                new ResourceGroupScope(SUB, "rg", Optional.of("eastus")), new VmScope(SUB, "rg", "vm"),
                new MonitoringScope(SUB));
        for (Scope scope : scopes) {
            assertThat(Scopes.parse(scope.id())).isEqualTo(scope);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "subscriptions/00000000-0000-0000-0000-000000000001|must start with /subscriptions/",
            "/subscription/00000000-0000-0000-0000-000000000001|must start with /subscriptions/",
            "/subscriptions|must start with /subscriptions/{id}",
            "/subscriptions/not-a-guid|not a GUID",
            "/subscriptions/00000000-0000-0000-0000-00000000000g|not a GUID",
            "/subscriptions/00000000-0000-0000-0000-000000000001/|empty segment",
            "//subscriptions/00000000-0000-0000-0000-000000000001|empty segment",
            "/subscriptions/00000000-0000-0000-0000-000000000001//resourceGroups/rg|empty segment",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/../resourceGroups/rg|'..' segment",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/./x|'.' segment",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg%2F..|percent-encoding",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg\\x|backslash",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/r g|whitespace",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg?api-version=1|query",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg.|invalid resource group name",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg*|invalid resource group name",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa|unsupported scope type",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/extensions/x|unsupported scope type",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines|unsupported scope type",
            "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/policyAssignments/other|unsupported scope type",
            "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Compute/virtualMachines|unsupported scope type",
            "/subscriptions/00000000-0000-0000-0000-000000000001/locations/westeurope|unsupported scope type",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Security/locations/west-europe|invalid location",
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm.|invalid virtual machine name",
            "/providers/Microsoft.Management/managementGroups/mg|must start with /subscriptions/",
    })
    void rejects(String id, String reason) {
        assertThatThrownBy(() -> Scopes.parse(id)).isInstanceOf(InvalidScopeException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\t", "\n", "\u00a0"})
    void rejectsControlAndSpaceCharacters(String c) {
        assertThatThrownBy(() -> Scopes.parse("/subscriptions/" + SUB + "/resourceGroups/r" + c + "g"))
                .isInstanceOf(InvalidScopeException.class);
    }

    @Test
    void rejectsTooLongIds() {
        String id = "/subscriptions/" + SUB + "/resourceGroups/" + "a".repeat(2100);
        assertThatThrownBy(() -> Scopes.parse(id)).hasMessageContaining("longer than 2048");
        assertThat(Scopes.parse("/subscriptions/" + SUB + "/resourceGroups/" + "a".repeat(90)))
                .isInstanceOf(ResourceGroupScope.class);
        assertThatThrownBy(() -> Scopes.parse("/subscriptions/" + SUB + "/resourceGroups/" + "a".repeat(91)))
                .hasMessageContaining("invalid resource group name");
    }

    @Test
    void collapseKeepsDistinctUncoveredScopesInOrder() {
        VmScope vm = new VmScope(SUB, "rg", "vm1");
        VmScope vmUpper = new VmScope(SUB.toUpperCase(), "RG", "VM1");
        VmScope otherVm = new VmScope(SUB2, "rg", "vm2");
        ResourceGroupScope rgLoc = new ResourceGroupScope(SUB2, "rg2", Optional.of("westeurope"));
        ResourceGroupScope rgLocUpper = new ResourceGroupScope(SUB2, "RG2", Optional.of("WestEurope"));
        MonitoringScope monitoring = new MonitoringScope(SUB2);

        assertThat(Scopes.collapse(List.of(vm, vmUpper, otherVm, rgLoc, rgLocUpper, monitoring)))
                .containsExactly(vm, otherVm, rgLoc, monitoring);

        // a resource group without a location covers its VMs and located scopes
        ResourceGroupScope rg = new ResourceGroupScope(SUB, "rg");
        assertThat(Scopes.collapse(List.of(vm, new ResourceGroupScope(SUB, "rg", Optional.of("eastus")), rg)))
                .containsExactly(rg);
        // a subscription covers everything in it, monitoring included, but nothing elsewhere
        SubscriptionScope sub = new SubscriptionScope(SUB2);
        assertThat(Scopes.collapse(List.of(vm, otherVm, rgLoc, monitoring, sub))).containsExactly(vm, sub);
        // a located resource-group scope does not cover a VM (the VM may be in another location)
        assertThat(Scopes.collapse(List.of(new ResourceGroupScope(SUB, "rg", Optional.of("eastus")), vm))).hasSize(2);
        assertThat(Scopes.collapse(List.of())).isEmpty();
    }

    @Test
    void aBurstOfThousandsOfVmScopesCollapsesToTheGroupThatCoversHalfAndTheOtherHalfInOrder() {
        List<Scope> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            burst.add(new VmScope(SUB, i % 2 == 0 ? "rg-even" : "rg-odd", "vm-" + i));
            burst.add(new VmScope(SUB.toUpperCase(), i % 2 == 0 ? "RG-EVEN" : "RG-ODD", "VM-" + i)); // a redelivery
        }
        ResourceGroupScope even = new ResourceGroupScope(SUB, "rg-even");
        burst.add(even);

        List<Scope> collapsed = Scopes.collapse(burst);

        assertThat(collapsed).hasSize(2501);
        assertThat(collapsed.get(0)).isEqualTo(new VmScope(SUB, "rg-odd", "vm-1"));
        assertThat(collapsed.get(2499)).isEqualTo(new VmScope(SUB, "rg-odd", "vm-4999"));
        assertThat(collapsed.get(2500)).isEqualTo(even);
    }
}
