package io.jitguard.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.evaluate.FirewallSupport;
import io.jitguard.model.Firewall;
import org.junit.jupiter.api.Test;

class ArmJsonFirewallTest {
    static final ObjectMapper JSON = new ObjectMapper();

    Firewall parse(String properties) throws Exception {
        return ArmJson.firewall(JSON.readTree("{\"id\":\"/subscriptions/s/resourceGroups/r/providers/"
                + "Microsoft.Network/azureFirewalls/fw\",\"properties\":" + properties + "}"));
    }

    @Test
    void classicVnetFirewallIsUsable() throws Exception {
        Firewall fw = parse("{\"sku\":{\"name\":\"AZFW_VNet\",\"tier\":\"Standard\"},\"ipConfigurations\":[]}");
        assertThat(fw.skuName()).isEqualTo("AZFW_VNet");
        assertThat(FirewallSupport.supportsJit(fw)).isTrue();
    }

    @Test
    void firewallPolicyHubSkuAndVirtualHubAreNot() throws Exception {
        Firewall withPolicy = parse("{\"sku\":{\"name\":\"AZFW_VNet\"},\"firewallPolicy\":{\"id\":\"/p\"}}");
        assertThat(withPolicy.firewallPolicyId()).isEqualTo("/p");
        assertThat(FirewallSupport.supportsJit(withPolicy)).isFalse();
        assertThat(FirewallSupport.supportsJit(parse("{\"sku\":{\"name\":\"AZFW_Hub\"}}"))).isFalse();
        Firewall hub = parse("{\"virtualHub\":{\"id\":\"/h\"}}");
        assertThat(hub.virtualHubId()).isEqualTo("/h");
        assertThat(FirewallSupport.supportsJit(hub)).isFalse();
    }

    @Test
    void exemptionIsParsed() throws Exception {
        var e = ArmJson.exemption(JSON.readTree("{\"id\":\"/subscriptions/s/providers/Microsoft.Authorization/"
                + "policyExemptions/x\",\"name\":\"x\",\"properties\":{\"policyAssignmentId\":\"/a\","
                + "\"policyDefinitionReferenceIds\":[\"jitNetworkAccessMonitoring\"],\"exemptionCategory\":\"Waiver\","
                + "\"expiresOn\":\"2030-01-01T00:00:00Z\"}}"));
        assertThat(e.category()).isEqualTo("Waiver");
        assertThat(e.expiresOn()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(e.policyDefinitionReferenceIds()).containsExactly("jitNetworkAccessMonitoring");
    }
}
