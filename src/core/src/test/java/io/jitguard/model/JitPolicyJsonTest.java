package io.jitguard.model;

import static io.jitguard.World.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.model.JitPolicy;
import io.jitguard.model.PortRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitPolicyJsonTest {
    private static final String ID = "/subscriptions/s1/resourceGroups/RG1/providers/Microsoft.Security/locations/"
            + "westeurope/jitNetworkAccessPolicies/default";

    @Test
    void readsPoliciesLeniently() {
        JitPolicy p = JitPolicyJson.toPolicy(parse("""
                {"id":"%s","properties":{"virtualMachines":[
                  {"id":"vm1","ports":[
                    {"number":22,"protocol":"TCP","allowedSourceAddressPrefix":"1.2.3.4","maxRequestAccessDuration":"P1D"},
                    {"number":"3389","protocol":"*","allowedSourceAddressPrefixes":["a","b"],"maxRequestAccessDuration":"PT1H"},
                    {"number":5985,"protocol":"*","maxRequestAccessDuration":"3 hours"},
                    {"protocol":"*","maxRequestAccessDuration":"PT1H"},
                    {"number":70000}
                  ]},
                  {"ports":[]},
                  {"id":"vm2"}
                ]}}""".formatted(ID)));
        assertThat(p.subscriptionId()).isEqualTo("s1");
        assertThat(p.resourceGroup()).isEqualTo("RG1");
        assertThat(p.location()).isEqualTo("westeurope");
        assertThat(p.name()).isEqualTo("default");
        assertThat(p.virtualMachines()).hasSize(2);
        assertThat(p.virtualMachines().get(0).ports()).containsExactly(
                new PortRule(22, "TCP", Duration.ofDays(1), List.of("1.2.3.4")),
                new PortRule(3389, "*", Duration.ofHours(1), List.of("a", "b")),
                new PortRule(5985, "*", null, List.of("*")));
        assertThat(p.virtualMachines().get(1).ports()).isEmpty();
        assertThat(p.json()).contains("\"vm1\"");
    }

    @Test
    void badIdsAreRefused() {
        assertThatThrownBy(() -> JitPolicyJson.toPolicy("/subscriptions/s", parse("{}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(JitPolicyJson.parseId(ID.toLowerCase())).isPresent();
    }
}
