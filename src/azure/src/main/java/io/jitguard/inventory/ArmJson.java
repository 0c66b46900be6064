package io.jitguard.inventory;

import io.jitguard.plan.JitPolicyJson;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.model.DefenderPlan;
import io.jitguard.model.Firewall;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.Nic;
import io.jitguard.model.PolicyExemption;
import io.jitguard.model.PortRule;
import io.jitguard.model.ResourceGroup;
import io.jitguard.model.Subnet;
import io.jitguard.model.Vm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ARM JSON documents → model records. Lenient about absent optional fields, never about ids. */
final class ArmJson {
    static final String MONITORING_PARAMETER = "jitNetworkAccessMonitoringEffect";

    private ArmJson() {
    }

    static ResourceGroup resourceGroup(String subscriptionId, JsonNode node) {
        return new ResourceGroup(subscriptionId, text(node, "name"), text(node, "location"), tags(node),
                node.path("managedBy").isTextual() && !node.path("managedBy").asText().isBlank()
                        ? node.path("managedBy").asText() : null);
    }

    static Vm vm(JsonNode node, boolean classic) {
        String id = requiredId(node);
        List<String> nics = new ArrayList<>();
        if (!classic) {
            for (JsonNode nic : node.path("properties").path("networkProfile").path("networkInterfaces")) {
                if (nic.path("id").isTextual()) {
                    nics.add(nic.path("id").asText());
                }
            }
        }
        String name = node.path("name").isTextual() ? node.path("name").asText() : lastSegment(id);
        return new Vm(id, name, segmentAfter(id, "subscriptions"), segmentAfter(id, "resourceGroups"),
                text(node, "location"), tags(node), classic, nics, osType(node));
    }

    /** {@code properties.storageProfile.osDisk.osType} ({@code Linux} / {@code Windows}); null when absent. */
    static String osType(JsonNode vm) {
        JsonNode os = vm.path("properties").path("storageProfile").path("osDisk").path("osType");
        return os.isTextual() && !os.asText().isBlank() ? os.asText() : null;
    }

    static Nic nic(JsonNode node) {
        List<String> subnets = new ArrayList<>();
        for (JsonNode ipc : node.path("properties").path("ipConfigurations")) {
            JsonNode subnet = ipc.path("properties").path("subnet").path("id");
            if (subnet.isTextual() && !subnets.contains(subnet.asText())) {
                subnets.add(subnet.asText());
            }
        }
        return new Nic(requiredId(node), nsg(node), subnets);
    }

    static Subnet subnet(JsonNode node) {
        return new Subnet(requiredId(node), nsg(node));
    }

    static List<Subnet> subnetsOfVnet(JsonNode vnet) {
        List<Subnet> subnets = new ArrayList<>();
        for (JsonNode subnet : vnet.path("properties").path("subnets")) {
            subnets.add(subnet(subnet));
        }
        return subnets;
    }

    static Firewall firewall(JsonNode node) {
        List<String> subnets = new ArrayList<>();
        for (String field : List.of("ipConfigurations", "managementIpConfiguration")) {
            JsonNode configs = node.path("properties").path(field);
            for (JsonNode ipc : configs.isArray() ? configs : List.of(configs)) {
                JsonNode subnet = ipc.path("properties").path("subnet").path("id");
                if (subnet.isTextual() && !subnets.contains(subnet.asText())) {
                    subnets.add(subnet.asText());
                }
            }
        }
        JsonNode p = node.path("properties");
        return new Firewall(requiredId(node), subnets, idOf(p.path("firewallPolicy")), text(p.path("sku"), "name"),
                idOf(p.path("virtualHub")));
    }

    static PolicyExemption exemption(JsonNode node) {
        JsonNode p = node.path("properties");
        List<String> refs = new ArrayList<>();
        p.path("policyDefinitionReferenceIds").forEach(r -> {
            if (r.isTextual()) {
                refs.add(r.asText());
            }
        });
        return new PolicyExemption(text(node, "id"), text(node, "name"), text(p, "policyAssignmentId"), refs,
                text(p, "exemptionCategory"), text(p, "expiresOn"));
    }

    private static String idOf(JsonNode ref) {
        JsonNode id = ref.path("id");
        return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
    }

    static JitPolicy jitPolicy(JsonNode node) {
        return JitPolicyJson.toPolicy(requiredId(node), node);
    }

    static MonitoringAssignment assignment(String subscriptionId, JsonNode node) {
        JsonNode effect = node.path("properties").path("parameters").path(MONITORING_PARAMETER).path("value");
        return new MonitoringAssignment(text(node, "id"), subscriptionId, effect.isTextual() ? effect.asText() : null,
                node.toString());
    }

    static DefenderPlan pricing(JsonNode node) {
        JsonNode p = node.path("properties");
        String tier = text(p, "pricingTier");
        return tier == null ? DefenderPlan.FREE : new DefenderPlan(tier, text(p, "subPlan"));
    }

    /** The value after {@code /name/} in an ARM id (case-insensitive), or null. */
    static String segmentAfter(String id, String name) {
        if (id == null) {
            return null;
        }
        String[] s = id.split("/");
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i].equalsIgnoreCase(name)) {
                return s[i + 1];
            }
        }
        return null;
    }

    private static String nsg(JsonNode node) {
        JsonNode id = node.path("properties").path("networkSecurityGroup").path("id");
        return id.isTextual() ? id.asText() : null;
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        node.path("tags").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                tags.put(e.getKey(), e.getValue().asText());
            }
        });
        return tags;
    }

    private static String requiredId(JsonNode node) {
        JsonNode id = node.path("id");
        if (!id.isTextual() || id.asText().isEmpty()) {
            throw new MalformedArmDocumentException("ARM returned a resource without an id");
        }
        return id.asText();
    }

    private static String lastSegment(String id) {
        return id.substring(id.lastIndexOf('/') + 1);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
