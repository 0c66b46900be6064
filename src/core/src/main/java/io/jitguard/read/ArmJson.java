package io.jitguard.read;

import io.jitguard.model.ArmId;
import io.jitguard.model.InvalidArmIdException;
import io.jitguard.model.JitPolicyJson;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.model.AdminRule;
import io.jitguard.model.DefenderPlan;
import io.jitguard.model.Firewall;
import io.jitguard.model.IpConfiguration;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.Nic;
import io.jitguard.model.SecurityRule;
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
        ArmId armId = requiredArmId(node);
        String id = armId.toString();
        List<String> nics = new ArrayList<>();
        if (!classic) {
            for (JsonNode nic : node.path("properties").path("networkProfile").path("networkInterfaces")) {
                if (nic.path("id").isTextual()) {
                    nics.add(nic.path("id").asText());
                }
            }
        }
        String name = node.path("name").isTextual() ? node.path("name").asText() : armId.name();
        return new Vm(id, name, armId.subscription(), armId.resourceGroup(),
                text(node, "location"), tags(node), classic, nics, osType(node),
                io.jitguard.model.ArmTimes.instant(node.path("properties").path("timeCreated")));
    }

    /** {@code properties.storageProfile.osDisk.osType} ({@code Linux} / {@code Windows}); null when absent. */
    static String osType(JsonNode vm) {
        JsonNode os = vm.path("properties").path("storageProfile").path("osDisk").path("osType");
        return os.isTextual() && !os.asText().isBlank() ? os.asText() : null;
    }

    static Nic nic(JsonNode node) {
        Nic nic = nicWithoutConfigurations(node);
        return new Nic(nic.id(), nic.nsgId(), nic.subnetIds(), nic.publicIp(), nic.asgIds(), ipConfigurations(node));
    }

    /**
     * Each IP configuration of a NIC: {@code properties.privateIPAddress} (IPv4 or IPv6), subnet, whether it has a
     * public IP, its application security groups.
     */
    static List<IpConfiguration> ipConfigurations(JsonNode nic) {
        List<IpConfiguration> out = new ArrayList<>();
        for (JsonNode ipc : nic.path("properties").path("ipConfigurations")) {
            JsonNode p = ipc.path("properties");
            JsonNode pip = p.path("publicIPAddress");
            out.add(new IpConfiguration(text(p, "privateIPAddress"), idOf(p.path("subnet")),
                    pip.isObject() && !pip.isEmpty(), ids(p.path("applicationSecurityGroups"))));
        }
        return out;
    }

    /**
     * The AVNM security admin rules of one page of {@code listNetworkManagerEffectiveSecurityAdminRules}
     * ({@code value[]}: {@code kind} {@code Custom} or {@code Default}, {@code properties} with {@code access},
     * {@code priority}, {@code direction}, {@code protocol}, {@code sources[]}/{@code destinations[]} of
     * {@code {addressPrefix, addressPrefixType}} and {@code destinationPortRanges}). A rule without a priority or
     * access cannot decide anything and is left out.
     */
    static List<AdminRule> adminRules(JsonNode page) {
        List<AdminRule> out = new ArrayList<>();
        page.path("value").forEach(r -> adminRule(r).ifPresent(out::add));
        return out;
    }

    static java.util.Optional<AdminRule> adminRule(JsonNode r) {
        JsonNode p = r.path("properties");
        if (!p.path("priority").canConvertToInt() || text(p, "access") == null) {
            return java.util.Optional.empty();
        }
        String id = text(r, "id");
        return java.util.Optional.of(new AdminRule(id, id == null ? text(p, "displayName") : id.substring(id.lastIndexOf('/') + 1),
                p.path("priority").asInt(), text(p, "access"), text(p, "direction"), text(p, "protocol"),
                prefixes(p.path("sources")), prefixes(p.path("destinations")),
                strings(p.path("destinationPortRanges"))));
    }

    private static List<String> prefixes(JsonNode items) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : items) {
            String prefix = text(item, "addressPrefix");
            if (prefix != null && !prefix.isBlank()) {
                out.add(prefix);
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> {
            if (i.isTextual() && !i.asText().isBlank()) {
                out.add(i.asText());
            }
        });
        return out;
    }

    private static Nic nicWithoutConfigurations(JsonNode node) {
        List<String> subnets = new ArrayList<>();
        List<String> asgs = new ArrayList<>();
        boolean publicIp = false;
        for (JsonNode ipc : node.path("properties").path("ipConfigurations")) {
            JsonNode subnet = ipc.path("properties").path("subnet").path("id");
            if (subnet.isTextual() && !subnets.contains(subnet.asText())) {
                subnets.add(subnet.asText());
            }
            JsonNode pip = ipc.path("properties").path("publicIPAddress");
            publicIp |= pip.isObject() && !pip.isEmpty();
            ids(ipc.path("properties").path("applicationSecurityGroups")).stream()
                    .filter(a -> !asgs.contains(a)).forEach(asgs::add);
        }
        return new Nic(requiredId(node), nsg(node), subnets, publicIp, asgs);
    }

    /** A network security group with its own and its default rules (Microsoft.Network 2024-05-01). */
    static NetworkSecurityGroup networkSecurityGroup(JsonNode node) {
        JsonNode p = node.path("properties");
        return new NetworkSecurityGroup(requiredId(node), securityRules(p.path("securityRules")),
                securityRules(p.path("defaultSecurityRules")));
    }

    private static List<SecurityRule> securityRules(JsonNode rules) {
        List<SecurityRule> out = new ArrayList<>();
        for (JsonNode r : rules) {
            JsonNode p = r.path("properties");
            if (!p.path("priority").canConvertToInt()) {
                continue; // ARM requires a priority: a rule without one cannot decide anything
            }
            out.add(new SecurityRule(text(r, "name"), p.path("priority").asInt(), text(p, "direction"),
                    text(p, "access"), text(p, "protocol"),
                    singularAndPlural(p, "sourceAddressPrefix", "sourceAddressPrefixes"),
                    ids(p.path("sourceApplicationSecurityGroups")),
                    singularAndPlural(p, "destinationPortRange", "destinationPortRanges"),
                    singularAndPlural(p, "destinationAddressPrefix", "destinationAddressPrefixes"),
                    ids(p.path("destinationApplicationSecurityGroups")), text(p, "description")));
        }
        return out;
    }

    /** ARM sends either the singular field or the plural array (the other empty or absent): both merged. */
    private static List<String> singularAndPlural(JsonNode p, String singular, String plural) {
        List<String> out = new ArrayList<>();
        if (p.path(singular).isTextual() && !p.path(singular).asText().isBlank()) {
            out.add(p.path(singular).asText());
        }
        for (JsonNode v : p.path(plural)) {
            if (v.isTextual() && !v.asText().isBlank() && !out.contains(v.asText())) {
                out.add(v.asText());
            }
        }
        return out;
    }

    private static List<String> ids(JsonNode refs) {
        List<String> out = new ArrayList<>();
        for (JsonNode ref : refs) {
            String id = idOf(ref);
            if (id != null) {
                out.add(id);
            }
        }
        return out;
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
                text(p, "exemptionCategory"), text(p, "expiresOn"),
                io.jitguard.model.ResourceSelector.parseAll(p.path("resourceSelectors")));
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
        return requiredArmId(node).toString();
    }

    /** The resource's {@code id}, validated by {@link ArmId}: a resource without one is a malformed document. */
    private static ArmId requiredArmId(JsonNode node) {
        JsonNode id = node.path("id");
        if (!id.isTextual() || id.asText().isEmpty()) {
            throw new MalformedArmDocumentException("ARM returned a resource without an id");
        }
        try {
            return ArmId.parse(id.asText());
        } catch (InvalidArmIdException e) {
            throw new MalformedArmDocumentException("ARM returned a resource whose id is not one: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
