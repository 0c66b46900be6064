package io.jitguard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstateTest {
    private static final String SUB = "11111111-1111-1111-1111-111111111111";

    private static String estate(String resources) {
        return ("{'tenantId':'t','subscriptions':[{'subscriptionId':'" + SUB + "','displayName':'prod',"
                + "'resourceGroups':[{'name':'rg-web','location':'westeurope'}],'resources':[" + resources + "]}]}")
                .replace('\'', '"');
    }

    private static String vm(String id) {
        return "{'id':'" + id + "','type':'Microsoft.Compute/virtualMachines','location':'westeurope'}";
    }

    @Test
    void exampleEstateLoads() {
        Estate e = Estate.load(EmulatorClient.exampleEstate());
        assertThat(e.tenantId()).isEqualTo("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        assertThat(e.pageSize()).isEqualTo(2);
        assertThat(e.subscriptions()).extracting(Estate.Subscription::displayName).containsExactly("prod", "dev", "shared");
        assertThat(e.resources()).anySatisfy(r -> assertThat(r.get("name").asText())
                .isEqualTo("vm-web-with-a-very-long-name-for-the-reporting-tier-01"));
        assertThat(e.resources()).filteredOn(r -> r.get("type").asText().equals("Microsoft.Compute/virtualMachines"))
                .hasSize(12); // vm-shared-2 shares its subnet NSG with vm-shared-1
    }

    @Test
    void fillsNameAndTypeFromId() {
        Estate e = Estate.parse(estate("{'id':'/subscriptions/" + SUB
                + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1'}"));
        assertThat(e.resources().get(0).get("name").asText()).isEqualTo("vm1");
        assertThat(e.resources().get(0).get("type").asText()).isEqualTo("Microsoft.Compute/virtualMachines");
    }

    @Test
    void missingIdIsNamedWithItsPosition() {
        String two = ("{'tenantId':'t','subscriptions':[{'subscriptionId':'a'},{'subscriptionId':'" + SUB + "',"
                + "'resourceGroups':[{'name':'rg-web','location':'westeurope'}],'resources':["
                + vm("/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/a") + ","
                + vm("/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/b") + ","
                + vm("/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/c") + ","
                + "{'name':'x'}]}]}").replace('\'', '"');
        assertThatThrownBy(() -> Estate.parse(two)).isInstanceOf(EstateException.class)
                .hasMessage("subscriptions[1].resources[3]: id is missing");
    }

    @Test
    void unknownResourceGroup() {
        assertThatThrownBy(() -> Estate.parse(estate(vm("/subscriptions/" + SUB
                + "/resourceGroups/rg-nope/providers/Microsoft.Compute/virtualMachines/vm1"))))
                .isInstanceOf(EstateException.class)
                .hasMessageContaining("subscriptions[0].resources[0]").hasMessageContaining("rg-nope");
    }

    @Test
    void otherSubscriptionInId() {
        assertThatThrownBy(() -> Estate.parse(estate(vm(
                "/subscriptions/99999999-1111-1111-1111-111111111111/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1"))))
                .hasMessageContaining("names subscription 99999999");
    }

    @Test
    void typeAndNameMustMatchId() {
        String id = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1";
        assertThatThrownBy(() -> Estate.parse(estate("{'id':'" + id + "','type':'Microsoft.Network/networkInterfaces'}")))
                .hasMessageContaining("type 'Microsoft.Network/networkInterfaces' does not match the id");
        assertThatThrownBy(() -> Estate.parse(estate("{'id':'" + id + "','name':'vm2'}")))
                .hasMessageContaining("name 'vm2' does not match the id");
    }

    @Test
    void malformedIdDuplicateIdsAndJsonErrors() {
        assertThatThrownBy(() -> Estate.parse(estate("{'id':'/resourceGroups/x'}")))
                .hasMessageContaining("is not an ARM resource id");
        String id = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1";
        assertThatThrownBy(() -> Estate.parse(estate(vm(id) + "," + vm(id.toUpperCase()))))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Estate.parse("{ not json")).hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> Estate.parse("{\"tenantId\":\"t\"}")).hasMessage("subscriptions: must be an array");
        assertThatThrownBy(() -> Estate.parse("{\"subscriptions\":[]}")).hasMessage("tenantId is missing");
        assertThatThrownBy(() -> Estate.parse("{\"tenantId\":\"t\",\"pageSize\":0,\"subscriptions\":[]}"))
                .hasMessageContaining("pageSize");
        assertThatThrownBy(() -> Estate.parse("{\"tenantId\":\"t\",\"faults\":{\"kinds\":[\"boom\"]},\"subscriptions\":[]}"))
                .hasMessageContaining("faults").hasMessageContaining("unknown fault kind 'boom'");
        assertThatThrownBy(() -> Estate.parse("{\"tenantId\":\"t\",\"faults\":{\"rate\":2},\"subscriptions\":[]}"))
                .hasMessageContaining("fault rate must be between 0 and 1");
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Estate.load(dir.resolve("nope.json"))).hasMessageContaining("nope.json: file not found");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"tenantId\":\"t\",\"subscriptions\":[{\"displayName\":\"x\"}]}");
        assertThatThrownBy(() -> Estate.load(bad)).hasMessageContaining("bad.json")
                .hasMessageContaining("subscriptions[0]: subscriptionId is missing");
    }
}
