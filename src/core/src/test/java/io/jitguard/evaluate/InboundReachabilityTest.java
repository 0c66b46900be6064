package io.jitguard.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.SecurityRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Azure's inbound NSG evaluation: subnet then NIC, lowest priority number wins, default rules included. */
class InboundReachabilityTest {
    static final int WIDEST = 8;

    static SecurityRule rule(String name, int priority, String access, String source, String ports) {
        return new SecurityRule(name, priority, "Inbound", access, "*", List.of(source), List.of(),
                List.of(ports.split(",")), List.of("*"), List.of(), "");
    }

    /** The three inbound default rules ARM adds to every NSG. */
    static List<SecurityRule> defaults() {
        return List.of(
                new SecurityRule("AllowVnetInBound", 65000, "Inbound", "Allow", "*", List.of("VirtualNetwork"),
                        List.of(), List.of("*"), List.of("VirtualNetwork"), List.of(), ""),
                new SecurityRule("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "*",
                        List.of("AzureLoadBalancer"), List.of(), List.of("*"), List.of("*"), List.of(), ""),
                new SecurityRule("DenyAllInBound", 65500, "Inbound", "Deny", "*", List.of("*"), List.of(),
                        List.of("*"), List.of("*"), List.of(), ""));
    }

    static NetworkSecurityGroup nsg(String name, SecurityRule... rules) {
        return new NetworkSecurityGroup("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
                + "networkSecurityGroups/" + name, List.of(rules), defaults());
    }

    static final SecurityRule JIT_DENY_22 = rule("MicrosoftDefenderForCloud-JITRule_-123_abc", 4096, "Deny", "*", "22");

    static InboundReachability.Verdict ssh(NetworkSecurityGroup... path) {
        return InboundReachability.inbound(List.of(path), Set.of(), 22, "Tcp", WIDEST);
    }

    @Test
    void anAllowFromTheInternetAboveJitsDenyOnTheNicNsgOpensThePort() {
        var verdict = ssh(nsg("nic-nsg", rule("allow-ssh", 300, "Allow", "Internet", "22"), JIT_DENY_22));
        assertThat(verdict.reachable()).isTrue();
        assertThat(verdict.allowing()).singleElement().satisfies(d -> {
            assertThat(d.rule().name()).isEqualTo("allow-ssh");
            assertThat(d.nsg().name()).isEqualTo("nic-nsg");
        });
    }

    @Test
    void jitsDenyAboveTheAllowKeepsThePortClosed() {
        var verdict = ssh(nsg("nic-nsg", rule("allow-ssh", 4000, "Allow", "*", "22"),
                rule("MicrosoftDefenderForCloud-JITRule_-1_x", 1000, "Deny", "*", "22")));
        assertThat(verdict.reachable()).isFalse();
        assertThat(verdict.stoppedBy().orElseThrow().rule().name()).startsWith("MicrosoftDefenderForCloud-JITRule");
    }

    @Test
    void onTheSubnetNsgToo_butADenyInTheOtherNsgOnThePathStopsIt() {
        NetworkSecurityGroup subnet = nsg("subnet-nsg", rule("allow-any", 200, "Allow", "0.0.0.0/0", "*"));
        assertThat(ssh(subnet).reachable()).isTrue();
        NetworkSecurityGroup nicAllows = nsg("nic-nsg", rule("allow-ssh", 100, "Allow", "*", "22"));
        assertThat(ssh(subnet, nicAllows).reachable()).isTrue();
        assertThat(ssh(subnet, nicAllows).allowing()).hasSize(2);
        NetworkSecurityGroup nicDenies = nsg("nic-nsg", JIT_DENY_22);
        assertThat(ssh(subnet, nicDenies).reachable()).isFalse();
        // an NSG with only the default rules denies Internet traffic (DenyAllInBound)
        assertThat(ssh(subnet, nsg("plain")).reachable()).isFalse();
        assertThat(ssh(subnet, nsg("plain")).stoppedBy().orElseThrow().rule().name()).isEqualTo("DenyAllInBound");
    }

    @Test
    void portRangesListsAndServiceTags() {
        assertThat(ssh(nsg("n", rule("range", 100, "Allow", "Internet", "20-25"))).reachable()).isTrue();
        assertThat(ssh(nsg("n", rule("list", 100, "Allow", "Internet", "80,443,22"))).reachable()).isTrue();
        assertThat(ssh(nsg("n", rule("other", 100, "Allow", "Internet", "23-3000"))).reachable()).isFalse();
        assertThat(ssh(nsg("n", rule("cloud", 100, "Allow", "AzureCloud", "22"))).reachable()).isTrue();
        assertThat(ssh(nsg("n", rule("vnet", 100, "Allow", "VirtualNetwork", "22"))).reachable()).isFalse();
        assertThat(ssh(nsg("n", rule("lb", 100, "Allow", "AzureLoadBalancer", "22"))).reachable()).isFalse();
    }

    @Test
    void narrowAndPrivateSourcesAreNotTheInternet() {
        assertThat(ssh(nsg("n", rule("office", 100, "Allow", "10.0.0.0/24", "22"))).reachable()).isFalse();
        assertThat(ssh(nsg("n", rule("private8", 100, "Allow", "10.0.0.0/8", "22"))).reachable()).isFalse();
        assertThat(ssh(nsg("n", rule("public6", 100, "Allow", "4.0.0.0/6", "22"))).reachable()).isTrue();
        assertThat(ssh(nsg("n", rule("public16", 100, "Allow", "20.30.0.0/16", "22"))).reachable()).isFalse();
        assertThat(ssh(nsg("n", rule("v6any", 100, "Allow", "::/0", "22"))).reachable()).isTrue();
    }

    @Test
    void protocolAndApplicationSecurityGroups() {
        SecurityRule udpOnly = new SecurityRule("udp", 100, "Inbound", "Allow", "Udp", List.of("*"), List.of(),
                List.of("22"), List.of("*"), List.of(), "");
        assertThat(ssh(nsg("n", udpOnly)).reachable()).isFalse();
        String asg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/web";
        SecurityRule toAsg = new SecurityRule("to-web", 100, "Inbound", "Allow", "Tcp", List.of("Internet"),
                List.of(), List.of("22"), List.of(), List.of(asg), "");
        assertThat(InboundReachability.inbound(List.of(nsg("n", toAsg)), Set.of(), 22, "Tcp", WIDEST).reachable())
                .as("NIC not in the ASG").isFalse();
        assertThat(InboundReachability.inbound(List.of(nsg("n", toAsg)), Set.of(asg.toUpperCase()), 22, "Tcp",
                WIDEST).reachable()).as("NIC in the ASG").isTrue();
        SecurityRule fromAsg = new SecurityRule("from-asg", 100, "Inbound", "Allow", "Tcp", List.of(),
                List.of(asg), List.of("22"), List.of("*"), List.of(), "");
        assertThat(ssh(nsg("n", fromAsg)).reachable()).as("an ASG source is never the Internet").isFalse();
    }

    @Test
    void noNsgOnThePathIsNotReachableByThisCheck() {
        assertThat(InboundReachability.inbound(new ArrayList<>(), Set.of(), 22, "Tcp", WIDEST).reachable()).isFalse();
    }
}
