package io.jitguard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.evaluate.PolicyNaming;
import io.jitguard.model.DefenderPlan;
import io.jitguard.model.Firewall;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.Nic;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.PortRule;
import io.jitguard.model.ResourceGroup;
import io.jitguard.model.Subnet;
import io.jitguard.model.Vm;
import io.jitguard.model.JitPolicyJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A mutable builder of one observed subscription for tests. */
public final class World {
    public static final String SUB = "00000000-0000-0000-0000-000000000001";
    public static final String RG = "rg1";
    public static final String LOC = "westeurope";
    public static final ObjectMapper JSON = new ObjectMapper();

    public String subscriptionId = SUB;
    public DefenderPlan defenderPlan = new DefenderPlan("Standard", "P2");
    public boolean monitoringInScope = true;
    public Optional<MonitoringAssignment> assignment = Optional.of(assignment(null));
    public final List<ResourceGroup> resourceGroups = new ArrayList<>();
    public final List<Vm> vms = new ArrayList<>();
    public final List<Nic> nics = new ArrayList<>();
    public final List<Subnet> subnets = new ArrayList<>();
    public final List<Firewall> firewalls = new ArrayList<>();
    public final List<JitPolicy> policies = new ArrayList<>();

    public static MonitoringAssignment assignment(String effect) {
        return new MonitoringAssignment(
                "/subscriptions/" + SUB + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn",
                SUB, effect, "{}");
    }

    public static String vmId(String rg, String name) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/"
                + name;
    }

    public static String subnetId(String vnet, String subnet) {
        return "/subscriptions/" + SUB + "/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/" + vnet
                + "/subnets/" + subnet;
    }

    /** A VM in rg1/westeurope whose NIC has an NSG. */
    public Vm vm(String name) {
        return vm(RG, LOC, name);
    }

    public Vm vm(String rg, String location, String name) {
        String nicId = "/subscriptions/" + SUB + "/resourceGroups/" + rg + "/providers/Microsoft.Network/"
                + "networkInterfaces/nic-" + name;
        nics.add(new Nic(nicId, nicId + "-nsg", List.of(subnetId("vnet1", "default"))));
        return add(new Vm(vmId(rg, name), name, SUB, rg, location, Map.of(), false, List.of(nicId)));
    }

    public Vm add(Vm vm) {
        vms.add(vm);
        return vm;
    }

    public JitPolicy policy(String rg, String location, String name, JitVm... entries) {
        String id = PolicyNaming.policyId(SUB, rg, location, name);
        JitPolicy p = new JitPolicy(id, SUB, rg, location, name, Arrays.asList(entries),
                document(location, entries).toString());
        policies.add(p);
        return p;
    }

    public ObservedSubscription build() {
        return new ObservedSubscription(subscriptionId, defenderPlan, monitoringInScope, assignment, resourceGroups,
                vms, nics, subnets, firewalls, policies);
    }

    public static PortRule rule(int port, String protocol, String duration, String... sources) {
        return new PortRule(port, protocol, Duration.parse(duration), List.of(sources));
    }

    /** Baseline-default rules (22, 3389, 5985, 5986; *, PT3H, *). */
    public static List<PortRule> defaultRules() {
        return List.of(rule(22, "*", "PT3H", "*"), rule(3389, "*", "PT3H", "*"), rule(5985, "*", "PT3H", "*"),
                rule(5986, "*", "PT3H", "*"));
    }

    public static JitVm entry(Vm vm, List<PortRule> rules) {
        return new JitVm(vm.id(), rules);
    }

    /** A policy document as ARM would return it, for the given entries. */
    public static ObjectNode document(String location, JitVm... entries) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("kind", "Basic");
        doc.put("location", location);
        ArrayNode vms = doc.putObject("properties").putArray("virtualMachines");
        for (JitVm e : entries) {
            ObjectNode vm = vms.addObject();
            vm.put("id", e.id());
            ArrayNode ports = vm.putArray("ports");
            for (PortRule r : e.ports()) {
                ports.add(JitPolicyJson.ruleNode(r));
            }
        }
        return doc;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
