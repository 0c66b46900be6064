package io.jitguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArmIdTest {
    static final String SUB = "11111111-1111-1111-1111-111111111111";
    static final String VM = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-1";
    static final String POLICY = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Security/"
            + "locations/westeurope/jitNetworkAccessPolicies/default";

    @Test
    void partsOfAVirtualMachine() {
        ArmId id = ArmId.parse(VM);
        assertThat(id.subscription()).isEqualTo(SUB);
        assertThat(id.resourceGroup()).isEqualTo("rg-web");
        assertThat(id.provider()).isEqualTo("Microsoft.Compute");
        assertThat(id.type()).isEqualTo("Microsoft.Compute/virtualMachines");
        assertThat(id.name()).isEqualTo("vm-1");
        assertThat(id.parent()).hasValue(ArmId.resourceGroup(SUB, "rg-web"));
        assertThat(id.shortName()).isEqualTo("rg-web/vm-1");
        assertThat(id.toString()).isEqualTo(VM);
        assertThat(ArmId.of(SUB, "rg-web", "Microsoft.Compute/virtualMachines", "vm-1")).isEqualTo(id);
    }

    @Test
    void childResourcesAndTheirParents() {
        ArmId policy = ArmId.parse(POLICY);
        assertThat(policy.type()).isEqualTo("Microsoft.Security/locations/jitNetworkAccessPolicies");
        assertThat(policy.name()).isEqualTo("default");
        assertThat(policy.nameOf("locations")).hasValue("westeurope");
        assertThat(policy.parent().map(ArmId::toString)).hasValue("/subscriptions/" + SUB
                + "/resourceGroups/rg-web/providers/Microsoft.Security/locations/westeurope");
        assertThat(policy.parent().flatMap(ArmId::parent)).hasValue(ArmId.resourceGroup(SUB, "rg-web"));
        assertThat(ArmId.resourceGroup(SUB, "rg").parent()).hasValue(ArmId.subscription(SUB));
        assertThat(ArmId.subscription(SUB).parent()).isEmpty();
        assertThat(ArmId.subscription(SUB).type()).isEqualTo("Microsoft.Resources/subscriptions");
        assertThat(ArmId.resourceGroup(SUB, "rg").type()).isEqualTo("Microsoft.Resources/resourceGroups");
    }

    @Test
    void caseInsensitiveButKeptAsGiven() {
        String upper = "/SUBSCRIPTIONS/" + SUB + "/RESOURCEGROUPS/RG-WEB/PROVIDERS/microsoft.compute/VIRTUALMACHINES/VM-1";
        ArmId id = ArmId.parse(upper);
        assertThat(id).isEqualTo(ArmId.parse(VM)).hasSameHashCodeAs(ArmId.parse(VM));
        assertThat(id.key()).isEqualTo(ArmId.parse(VM).key()).isEqualTo(ArmId.key(VM));
        assertThat(id.toString()).isEqualTo(upper);
        assertThat(id.isType("Microsoft.Compute/virtualMachines")).isTrue();
        assertThat(ArmId.key(null)).isEmpty();
    }

    @Test
    void subscriptionLevelResources() {
        ArmId assignment = ArmId.parse("/subscriptions/" + SUB
                + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn");
        assertThat(assignment.resourceGroup()).isNull();
        assertThat(assignment.type()).isEqualTo("Microsoft.Authorization/policyAssignments");
        assertThat(assignment.parent()).hasValue(ArmId.subscription(SUB));
        assertThat(assignment.shortName()).isEqualTo(SUB + "/SecurityCenterBuiltIn");
        assertThat(ArmId.subscription(SUB).shortName()).isEqualTo(SUB);
        assertThat(ArmId.resourceGroup(SUB, "rg").shortName()).isEqualTo("rg");
    }

    @Test
    void anExtensionResourceHasItsOwnTypeAndItsScopeAsParent() {
        ArmId exemption = ArmId.parse(VM + "/providers/Microsoft.Authorization/policyExemptions/x");
        assertThat(exemption.type()).isEqualTo("Microsoft.Authorization/policyExemptions");
        assertThat(exemption.name()).isEqualTo("x");
        assertThat(exemption.resourceGroup()).isEqualTo("rg-web");
        assertThat(exemption.parent()).hasValue(ArmId.parse(VM));
    }

    @Test
    void buildsIdsFromSegmentsOnly() {
        assertThat(ArmId.resourceGroup(SUB, "rg-web").provider("Microsoft.Security", "locations", "westeurope")
                .child("jitNetworkAccessPolicies", "default")).isEqualTo(ArmId.parse(POLICY));
        assertThatThrownBy(() -> ArmId.of(SUB, "rg/x", "Microsoft.Compute/virtualMachines", "vm"))
                .isInstanceOf(InvalidArmIdException.class).hasMessageContaining("not one id segment");
        assertThatThrownBy(() -> ArmId.subscription(SUB).child("x", "y")).hasMessageContaining("no child resources");
    }

    @Test
    void shortNameOfAnyText() {
        assertThat(ArmId.shortName(VM)).isEqualTo("rg-web/vm-1");
        assertThat(ArmId.shortName("not an id")).isEqualTo("not an id");
        assertThat(ArmId.shortName(null)).isEqualTo("?");
    }

    @Test
    void subscriptionOfAPath() {
        assertThat(ArmId.subscriptionOfPath("/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines"))
                .hasValue(SUB);
        assertThat(ArmId.subscriptionOfPath("/subscriptions")).isEmpty();
        assertThat(ArmId.subscriptionOfPath(null)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "subscriptions/s|must start with /subscriptions/",
            "/subscription/s|must start with /subscriptions/{id}",
            "/subscriptions|must start with /subscriptions/{id}",
            "/subscriptions/s/|empty segment",
            "/subscriptions/s//resourceGroups/rg|empty segment",
            "/subscriptions/s/resourceGroups/..|'..' segment",
            "/subscriptions/s/resourceGroups|names no resource group",
            "/subscriptions/s/locations/westeurope|expects /providers/",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute|names a provider but no resource",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines|type without a name",
    })
    void refusesWhatIsNotAnId(String text, String reason) {
        assertThatThrownBy(() -> ArmId.parse(text)).isInstanceOf(InvalidArmIdException.class).hasMessageContaining(reason);
        assertThat(ArmId.tryParse(text)).isEmpty();
    }

    @Test
    void aControlCharacterIsNamedNotEchoed() {
        assertThatThrownBy(() -> ArmId.parse("/subscriptions/s\n/x")).hasMessageContaining("\\u000a")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
