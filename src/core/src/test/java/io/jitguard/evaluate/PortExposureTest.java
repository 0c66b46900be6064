package io.jitguard.evaluate;

import static io.jitguard.evaluate.InboundReachabilityTest.A;
import static io.jitguard.evaluate.InboundReachabilityTest.B;
import static io.jitguard.evaluate.InboundReachabilityTest.jitDeny;
import static io.jitguard.evaluate.InboundReachabilityTest.nsg;
import static io.jitguard.evaluate.InboundReachabilityTest.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.model.NetworkSecurityGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortExposureTest {
    static final String VM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1";
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final io.jitguard.model.SecurityRule JIT_DENY_22 = jitDeny(22, A, 4096);

    static List<PortExposure.Endpoint> at(String address, boolean publicIp, NetworkSecurityGroup... path) {
        return List.of(new PortExposure.Endpoint("nic", AddressSet.of(address), null, List.of(), List.of(path),
                Set.of(), publicIp));
    }

    @Test
    void anOldAllowRuleAboveJitsDenyIsExposure_namingNsgRulePrioritySourceAndPort() {
        NetworkSecurityGroup nic = nsg("nic-nsg", rule("legacy-ssh", 300, "Allow", "Internet", "22"), JIT_DENY_22);
        PortExposure.Result r = PortExposure.evaluate(VM, at(A, true, nic), List.of(22, 3389), List.of());
        assertThat(r.exposed()).singleElement().satisfies(e -> {
            assertThat(e.port()).isEqualTo(22);
            assertThat(e.severity()).isEqualTo(PortExposure.Severity.HIGH);
            assertThat(e.describe()).contains("port 22", "NSG nic-nsg", "rule legacy-ssh", "priority 300",
                    "source Internet", "public IP");
            assertThat(e.addresses()).isEqualTo(AddressSet.PUBLIC.size());
        });
        assertThat(r.portsWithoutJitDeny()).containsExactly(3389);
        // 3389 is open to VirtualNetwork and AzureLoadBalancer (the default rules) and has no JIT deny rule
        assertThat(r.internal()).singleElement().satisfies(i -> {
            assertThat(i.port()).isEqualTo(3389);
            assertThat(i.sources()).isEqualTo("AzureLoadBalancer, VirtualNetwork");
        });
    }

    @Test
    void withoutAPublicIpTheSeverityIsLower() {
        NetworkSecurityGroup nic = nsg("nic-nsg", rule("any", 100, "Allow", "*", "*"));
        assertThat(PortExposure.evaluate(VM, at(A, false, nic), List.of(22), List.of()).exposed())
                .singleElement().extracting(PortExposure.Exposed::severity).isEqualTo(PortExposure.Severity.MEDIUM);
    }

    @Test
    void anActiveJitRequestsAllowRuleIsNotExposure_anEndedOneIs() throws Exception {
        NetworkSecurityGroup nic = nsg("nic-nsg",
                InboundReachabilityTest.rule("MicrosoftDefenderForCloud-JITRule-1-abc", 100, "Allow", "*", "22", A),
                JIT_DENY_22);
        var policy = new ObjectMapper().readTree("""
                {"properties":{"virtualMachines":[],"requests":[
                  {"virtualMachines":[{"id":"%s","ports":[
                    {"number":22,"status":"Initiated","endTimeUtc":"2026-11-25T11:00:00Z"}]}]},
                  {"virtualMachines":[{"id":"%s","ports":[
                    {"number":3389,"status":"Initiated","endTimeUtc":"2026-11-25T09:00:00Z"}]}]}]}}
                """.formatted(VM, VM));
        List<PortExposure.ActiveRequest> active = PortExposure.activeRequests(policy, NOW);
        assertThat(active).extracting(PortExposure.ActiveRequest::port).containsExactly(22);
        PortExposure.Result r = PortExposure.evaluate(VM, at(A, true, nic), List.of(22), active);
        assertThat(r.exposed()).isEmpty();
        assertThat(r.notes()).singleElement().asString().contains("approved JIT request", "not exposure");
        assertThat(PortExposure.evaluate(VM, at(A, true, nic), List.of(22), List.of()).exposed())
                .as("the same rule with no open request").hasSize(1);
        // another VM's request rule (destination B) neither opens nor excuses this VM
        NetworkSecurityGroup shared = nsg("snet-nsg", InboundReachabilityTest.rule(
                "MicrosoftDefenderForCloud-JITRule-2-def", 100, "Allow", "*", "22", B), JIT_DENY_22);
        assertThat(PortExposure.evaluate(VM, at(A, true, shared), List.of(22), List.of()).exposed()).isEmpty();
    }

    @Test
    void graceBeforeMissingDenyRulesCount() {
        assertThat(PortExposure.pastGrace(Optional.of(NOW.minusSeconds(60)), Duration.ofHours(1), NOW)).isFalse();
        assertThat(PortExposure.pastGrace(Optional.of(NOW.minus(Duration.ofHours(2))), Duration.ofHours(1), NOW))
                .isTrue();
        assertThat(PortExposure.pastGrace(Optional.empty(), Duration.ofHours(1), NOW)).isTrue();
    }
}
