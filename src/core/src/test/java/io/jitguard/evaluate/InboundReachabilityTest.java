package io.jitguard.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.model.AdminRule;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.SecurityRule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Azure's inbound evaluation over address sets: admin rules, then subnet NSG then NIC NSG, first match by priority,
 * rules matched on destination (the VM's private address), default rules included.
 */
class InboundReachabilityTest {
    static final String A = "10.1.1.4";
    static final String B = "10.1.1.5";

    static SecurityRule rule(String name, int priority, String access, String source, String ports) {
        return rule(name, priority, access, source, ports, "*");
    }

    static SecurityRule rule(String name, int priority, String access, String source, String ports,
                             String destination) {
        return new SecurityRule(name, priority, "Inbound", access, "*", List.of(source), List.of(),
                List.of(ports.split(",")), List.of(destination), List.of(), "");
    }

    /** Defender's JIT deny rule for one VM's address. */
    static SecurityRule jitDeny(int port, String address, int priority) {
        return rule("MicrosoftDefenderForCloud-JITRule_" + priority + "_ABC", priority, "Deny", "*",
                String.valueOf(port), address);
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

    static InboundReachability.Target at(String address, String... asgs) {
        return new InboundReachability.Target(AddressSet.of(address), Set.of(asgs));
    }

    static InboundReachability.Verdict ssh(String address, NetworkSecurityGroup... path) {
        return InboundReachability.inbound(List.of(), List.of(path), at(address), 22, "Tcp");
    }

    static AddressSet publicReach(InboundReachability.Verdict v) {
        return v.reach().addresses().intersection(AddressSet.PUBLIC);
    }

    @Test
    void anAllowFromTheInternetAboveTheDenyOpensThePortToThePublicSpaceOnly() {
        var v = ssh(A, nsg("nic-nsg", rule("allow-ssh", 300, "Allow", "Internet", "22"), jitDeny(22, A, 4096)));
        assertThat(publicReach(v)).isEqualTo(AddressSet.PUBLIC);
        assertThat(v.reach().holdsName("VirtualNetwork")).isFalse(); // VirtualNetwork and AzureLoadBalancer: stopped by the JIT deny
        assertThat(v.jitDeny()).isTrue();
        assertThat(v.mainGrant(AddressSet.PUBLIC).orElseThrow().rule()).isEqualTo("allow-ssh");
    }

    @Test
    void anotherVmsJitDenyInASharedNsgDoesNotDecideForThisVm() {
        NetworkSecurityGroup shared = nsg("snet-nsg", jitDeny(22, B, 1000), rule("allow-ssh", 3000, "Allow", "*", "22"));
        var forA = ssh(A, shared);
        assertThat(publicReach(forA)).isEqualTo(AddressSet.PUBLIC);
        assertThat(forA.jitDeny()).isFalse();
        var forB = ssh(B, shared);
        assertThat(forB.reach().isEmpty()).isTrue();
        assertThat(forB.jitDeny()).isTrue();
    }

    @Test
    void aDenyStopsOnlyTheSourcesItNames() {
        var v = ssh(A, nsg("n", rule("deny-one", 100, "Deny", "1.0.0.0/8", "22"),
                rule("allow-internet", 200, "Allow", "Internet", "22")));
        AddressSet reach = publicReach(v);
        assertThat(reach.contains("1.2.3.4")).isFalse();
        assertThat(reach.contains("8.8.8.8")).isTrue();
        assertThat(reach.intersection(AddressSet.IPV4).describe(AddressSet.NON_PUBLIC, 3))
                .isEqualTo("0.0.0.0/0 minus 1.0.0.0/8");
    }

    @Test
    void aPrivateLookingWideBlockHoldsPublicAddresses() {
        var v = ssh(A, nsg("n", rule("allow-hubs", 200, "Allow", "10.0.0.0/7", "22")));
        assertThat(publicReach(v)).isEqualTo(AddressSet.of("11.0.0.0/8"));
    }

    @Test
    void anAllowWhoseDestinationIsAnotherAddressDoesNotOpenThisOne() {
        var v = ssh(A, nsg("n", rule("allow-b", 200, "Allow", "*", "22", B)));
        assertThat(publicReach(v).isEmpty()).isTrue();
        assertThat(publicReach(ssh(B, nsg("n", rule("allow-b", 200, "Allow", "*", "22", B))))).isEqualTo(AddressSet.PUBLIC);
    }

    @Test
    void bothNsgsOnThePathMustAllow() {
        NetworkSecurityGroup subnet = nsg("snet", rule("deny-ssh", 200, "Deny", "*", "22"));
        NetworkSecurityGroup nic = nsg("nic", rule("allow-ssh", 300, "Allow", "Internet", "22"));
        assertThat(ssh(A, subnet, nic).reach().isEmpty()).isTrue();
        assertThat(publicReach(ssh(A, nsg("snet", rule("allow-ssh", 300, "Allow", "*", "22")), nic)))
                .isEqualTo(AddressSet.PUBLIC);
    }

    @Test
    void applicationSecurityGroupDestinationsMatchOnlyTheirMembers() {
        String asg = "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/applicationsecuritygroups/web";
        SecurityRule toAsg = new SecurityRule("to-web", 200, "Inbound", "Allow", "Tcp", List.of("Internet"), List.of(),
                List.of("22"), List.of(), List.of(asg.toUpperCase()), "");
        assertThat(publicReach(InboundReachability.inbound(List.of(), List.of(nsg("n", toAsg)), at(A, asg), 22, "Tcp")))
                .isEqualTo(AddressSet.PUBLIC);
        assertThat(InboundReachability.inbound(List.of(), List.of(nsg("n", toAsg)), at(A), 22, "Tcp").reach()
                .addresses().intersects(AddressSet.PUBLIC)).isFalse();
    }

    @Test
    void ipv6AddressesAndPrefixes() {
        String v6 = "fd00:1::4";
        var v = ssh(v6, nsg("n", rule("deny-doc", 100, "Deny", "2a01::/16", "22"),
                rule("allow-v6", 200, "Allow", "::/0", "22", "fd00:1::/64")));
        assertThat(publicReach(v).contains("2a02::1")).isTrue();
        assertThat(publicReach(v).contains("2a01::1")).isFalse();
        assertThat(publicReach(v).intersects(AddressSet.IPV4)).isFalse();
    }

    @Test
    void adminRulesComeFirst() {
        NetworkSecurityGroup closed = nsg("n", rule("deny-ssh", 100, "Deny", "*", "22"));
        AdminRule always = new AdminRule("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/"
                + "nm/securityAdminConfigurations/c/ruleCollections/rc/rules/always-ssh", "always-ssh", 10,
                "AlwaysAllow", "Inbound", "Tcp", List.of("Internet"), List.of(), List.of("22"));
        var v = InboundReachability.inbound(List.of(always), List.of(closed), at(A), 22, "Tcp");
        assertThat(publicReach(v)).isEqualTo(AddressSet.PUBLIC);
        assertThat(v.mainGrant(AddressSet.PUBLIC).orElseThrow()).satisfies(g -> {
            assertThat(g.admin()).isTrue();
            assertThat(g.whereName()).isEqualTo("rc");
        });

        NetworkSecurityGroup open = nsg("n", rule("allow-ssh", 100, "Allow", "*", "22"));
        AdminRule deny = new AdminRule("x/rules/deny-internet", "deny-internet", 10, "Deny", "Inbound", "Any",
                List.of("Internet"), List.of(), List.of());
        var denied = InboundReachability.inbound(List.of(deny), List.of(open), at(A), 22, "Tcp");
        assertThat(publicReach(denied).isEmpty()).isTrue();
        assertThat(denied.reach().holdsName("VirtualNetwork")).isTrue(); // the admin rule named only the Internet

        AdminRule allow = new AdminRule("x/rules/allow", "allow", 10, "Allow", "Inbound", "Any", List.of("*"),
                List.of(), List.of());
        assertThat(InboundReachability.inbound(List.of(allow), List.of(closed), at(A), 22, "Tcp").reach().isEmpty())
                .isTrue();
    }

    @Test
    void unknownAddressesErrTowardsReachability() {
        var unknown = new InboundReachability.Target(null, Set.of());
        var v = InboundReachability.inbound(List.of(), List.of(nsg("n", rule("deny-b", 100, "Deny", "*", "22", B),
                rule("allow-b", 200, "Allow", "*", "22", B))), unknown, 22, "Tcp");
        assertThat(publicReach(v)).isEqualTo(AddressSet.PUBLIC);
        var cloud = ssh(A, nsg("n", rule("deny-cloud", 100, "Deny", "AzureCloud", "22"),
                rule("allow-cloud", 200, "Allow", "AzureCloud.westeurope", "22")));
        assertThat(publicReach(cloud)).isEqualTo(AddressSet.PUBLIC);
    }

    @Test
    void protocolAndPortRanges() {
        SecurityRule udp = new SecurityRule("udp", 100, "Inbound", "Allow", "Udp", List.of("*"), List.of(),
                List.of("20-25"), List.of("*"), List.of(), "");
        assertThat(publicReach(ssh(A, nsg("n", udp))).isEmpty()).isTrue();
        assertThat(publicReach(InboundReachability.inbound(List.of(), List.of(nsg("n", udp)), at(A), 22, "Udp")))
                .isEqualTo(AddressSet.PUBLIC);
    }
}
