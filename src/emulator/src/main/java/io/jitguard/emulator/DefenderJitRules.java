package io.jitguard.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What Defender for Cloud does to NSGs when a JIT policy is written: for every VM of the policy and every port of its
 * entry, a deny rule "for the selected ports", named
 * {@code MicrosoftDefenderForCloud-JITRule_<int>_<32 hex>}, protocol {@code *}, source {@code *}, destination the
 * VM's private IP, priority 4096 (or the next free number below it), description
 * {@code MDC JIT Network Access rule for policy '<policy>' of VM '<vm>'.} (forms observed in exported NSGs) — on the
 * NSG of each NIC, or on its subnet's NSG when the NIC has none; in a subnet NSG shared by many VMs there is one set
 * per VM, each naming that VM's address. "If other
 * rules already exist for the selected ports, then those existing rules take priority over the new 'deny all inbound
 * traffic' rules": existing rules are left as they are. Applied synchronously on PUT (Defender does it shortly
 * after); a port that already has a deny rule of Defender's on that NSG gets no second one.
 */
final class DefenderJitRules {
    static final String PREFIX = "MicrosoftDefenderForCloud-JITRule";
    private static final String NSG_TYPE = "Microsoft.Network/networkSecurityGroups";

    private DefenderJitRules() {
    }

    /** An NSG being changed by one PUT: its copy, its Defender deny rules by port, the priorities it uses. */
    private static final class Working {
        final ObjectNode nsg;
        final ArrayNode rules;
        final Map<String, Set<String>> denyDestinationsByPort = new HashMap<>();
        final Set<Integer> used = new HashSet<>();
        int nextPriority = 4096;
        boolean changed;

        Working(ObjectNode stored) {
            nsg = stored.deepCopy();
            rules = nsg.with("properties").has("securityRules")
                    ? (ArrayNode) nsg.with("properties").get("securityRules")
                    : nsg.with("properties").putArray("securityRules");
            rules.forEach(this::index);
        }

        void index(JsonNode r) {
            JsonNode p = r.path("properties");
            used.add(p.path("priority").asInt());
            if (r.path("name").asText().startsWith(PREFIX) && p.path("access").asText().equalsIgnoreCase("Deny")
                    && p.path("direction").asText().equalsIgnoreCase("Inbound")) {
                denyDestinationsByPort.computeIfAbsent(p.path("destinationPortRange").asText(), k -> new HashSet<>())
                        .add(p.path("destinationAddressPrefix").asText("*"));
            }
        }

        boolean hasDeny(String port, String privateIp) {
            Set<String> destinations = denyDestinationsByPort.get(port);
            return destinations != null
                    && (privateIp == null || destinations.contains(privateIp) || destinations.contains("*"));
        }

        /** 4096, or the next free number below it (100 when none is free); rules are only added, so it only falls. */
        int priority() {
            while (used.contains(nextPriority) && nextPriority > 100) {
                nextPriority--;
            }
            return nextPriority;
        }

        void add(ObjectNode rule) {
            rules.add(rule);
            index(rule);
            changed = true;
        }
    }

    /** Adds the deny rules of {@code policy} (a stored JIT policy) to the NSGs of its VMs; the caller holds the store. */
    static void apply(ResourceStore store, ObjectNode policy) {
        String policyName = policy.path("name").asText();
        Map<String, Working> working = new LinkedHashMap<>();
        for (JsonNode entry : policy.path("properties").path("virtualMachines")) {
            ObjectNode vm = store.find(entry.path("id").asText(""));
            if (vm == null) {
                continue;
            }
            Target target = target(store, vm);
            Set<String> nsgIds = target.nsgIds();
            String privateIp = target.privateIp();
            for (String nsgId : nsgIds) {
                String key = nsgId.toLowerCase(Locale.ROOT);
                Working nsg = working.get(key);
                if (nsg == null) {
                    ObjectNode stored = store.find(nsgId);
                    if (stored == null || !stored.path("type").asText().equalsIgnoreCase(NSG_TYPE)) {
                        continue;
                    }
                    nsg = new Working(stored);
                    working.put(key, nsg);
                }
                for (JsonNode port : entry.path("ports")) {
                    String number = port.path("number").asText();
                    if (nsg.hasDeny(number, privateIp)) {
                        continue;
                    }
                    nsg.add(denyRule(nsg.nsg.path("id").asText(), nsg.priority(), policyName, vm, number, privateIp));
                }
            }
        }
        working.values().stream().filter(w -> w.changed).forEach(w -> store.put(w.nsg));
    }

    /** The NSGs Defender writes a VM's rules to (each NIC's, else its subnet's) and the VM's first private IP. */
    private record Target(Set<String> nsgIds, String privateIp) {
    }

    private static Target target(ResourceStore store, ObjectNode vm) {
        Set<String> nsgIds = new LinkedHashSet<>();
        String privateIp = null;
        for (JsonNode nicRef : vm.path("properties").path("networkProfile").path("networkInterfaces")) {
            ObjectNode nic = store.find(nicRef.path("id").asText(""));
            if (nic == null) {
                continue;
            }
            String nicNsg = nic.path("properties").path("networkSecurityGroup").path("id").asText("");
            addIfPresent(nsgIds, nicNsg);
            for (JsonNode ipc : nic.path("properties").path("ipConfigurations")) {
                if (privateIp == null && ipc.path("properties").path("privateIPAddress").isTextual()) {
                    privateIp = ipc.path("properties").path("privateIPAddress").asText();
                }
                if (nicNsg.isBlank()) {
                    subnetNsg(store, ipc.path("properties").path("subnet").path("id").asText(""))
                            .ifPresent(id -> addIfPresent(nsgIds, id));
                }
            }
        }
        return new Target(nsgIds, privateIp);
    }

    /**
     * What Defender does when a request is approved: for every VM and port of {@code request} (a validated
     * {@code JitNetworkAccessRequest} of {@code policy}), an allow rule from the requested source to the VM's private
     * IP on that port, in each NSG its deny rules go to, at the highest free priority numerically below Defender's
     * deny rule for that VM and port there (below 4096 when there is none), so it takes precedence over the deny.
     * The caller holds the store.
     */
    static List<Opened> allow(ResourceStore store, ObjectNode policy, JsonNode request) {
        List<Opened> opened = new ArrayList<>();
        for (JsonNode entry : request.path("virtualMachines")) {
            ObjectNode vm = store.find(entry.path("id").asText(""));
            if (vm == null) {
                continue;
            }
            Target target = target(store, vm);
            for (String nsgId : target.nsgIds()) {
                ObjectNode stored = store.find(nsgId);
                if (stored == null || !stored.path("type").asText().equalsIgnoreCase(NSG_TYPE)) {
                    continue;
                }
                Working nsg = new Working(stored);
                for (JsonNode port : entry.path("ports")) {
                    String number = port.path("number").asText();
                    int priority = belowDeny(nsg, number, target.privateIp());
                    ObjectNode rule = rule(nsg.nsg.path("id").asText(), priority, policy.path("name").asText(), vm,
                            number, target.privateIp(), "Allow", PREFIX + "_" + priority + "_"
                                    + hex(entry.path("id").asText() + "|" + number + "|" + request.path("startTimeUtc").asText()));
                    rule.with("properties").put("protocol", protocol(policy, vm, number))
                            .put("sourceAddressPrefix", port.path("allowedSourceAddressPrefix").asText());
                    nsg.add(rule);
                    opened.add(new Opened(nsgId, rule.path("name").asText(), entry.path("id").asText(), number));
                }
                store.put(nsg.nsg);
            }
        }
        return opened;
    }

    /** An allow rule {@link #allow} wrote: in NSG {@code nsgId}, for {@code vmId}'s port {@code port}. */
    record Opened(String nsgId, String ruleName, String vmId, String port) {
    }

    /** Removes the allow rule {@code opened} from its NSG (the request has ended). The caller holds the store. */
    static void close(ResourceStore store, Opened opened) {
        ObjectNode stored = store.find(opened.nsgId());
        if (stored == null) {
            return;
        }
        ObjectNode nsg = stored.deepCopy();
        JsonNode rules = nsg.path("properties").path("securityRules");
        if (!rules.isArray()) {
            return;
        }
        ArrayNode kept = ArmHttp.NODES.arrayNode();
        rules.forEach(r -> {
            if (!r.path("name").asText().equals(opened.ruleName())) {
                kept.add(r);
            }
        });
        if (kept.size() != rules.size()) {
            nsg.with("properties").set("securityRules", kept);
            store.put(nsg);
        }
    }

    /** The highest unused priority below Defender's lowest-numbered deny rule for this address and port. */
    private static int belowDeny(Working nsg, String port, String privateIp) {
        int deny = 4096;
        for (JsonNode r : nsg.rules) {
            JsonNode p = r.path("properties");
            if (r.path("name").asText().startsWith(PREFIX) && p.path("access").asText().equalsIgnoreCase("Deny")
                    && p.path("destinationPortRange").asText().equals(port)
                    && (privateIp == null || p.path("destinationAddressPrefix").asText().equals(privateIp))) {
                deny = Math.min(deny, p.path("priority").asInt(4096));
            }
        }
        int priority = deny - 1;
        while (nsg.used.contains(priority) && priority > 100) {
            priority--;
        }
        return Math.max(priority, 100);
    }

    private static String protocol(ObjectNode policy, ObjectNode vm, String port) {
        for (JsonNode entry : policy.path("properties").path("virtualMachines")) {
            if (entry.path("id").asText().equalsIgnoreCase(vm.path("id").asText())) {
                for (JsonNode p : entry.path("ports")) {
                    if (p.path("number").asText().equals(port) && p.path("protocol").isTextual()) {
                        return p.path("protocol").asText();
                    }
                }
            }
        }
        return "*";
    }

    private static java.util.Optional<String> subnetNsg(ResourceStore store, String subnetId) {
        int i = subnetId.toLowerCase(Locale.ROOT).indexOf("/subnets/");
        if (i < 0) {
            return java.util.Optional.empty();
        }
        ObjectNode vnet = store.find(subnetId.substring(0, i));
        if (vnet == null) {
            return java.util.Optional.empty();
        }
        for (JsonNode sn : vnet.path("properties").path("subnets")) {
            if (sn.path("id").asText().equalsIgnoreCase(subnetId)) {
                String id = sn.path("properties").path("networkSecurityGroup").path("id").asText("");
                return id.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(id);
            }
        }
        return java.util.Optional.empty();
    }

    private static void addIfPresent(Set<String> ids, String id) {
        if (!id.isBlank() && ids.stream().noneMatch(id::equalsIgnoreCase)) {
            ids.add(id);
        }
    }

    private static ObjectNode denyRule(String nsgId, int priority, String policyName, ObjectNode vm, String port,
                                       String privateIp) {
        String vmId = vm.path("id").asText().toLowerCase(Locale.ROOT);
        return rule(nsgId, priority, policyName, vm, port, privateIp, "Deny",
                PREFIX + "_" + (vmId + port).hashCode() + "_" + hex(vmId + "|" + port));
    }

    private static String hex(String seed) {
        return UUID.nameUUIDFromBytes(seed.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").toUpperCase(Locale.ROOT);
    }

    /** One rule in Defender's form. */
    private static ObjectNode rule(String nsgId, int priority, String policyName, ObjectNode vm, String port,
                                   String privateIp, String access, String name) {
        ObjectNode r = ArmHttp.NODES.objectNode();
        r.put("name", name);
        r.put("id", nsgId + "/securityRules/" + name);
        r.put("type", NSG_TYPE + "/securityRules");
        ObjectNode p = r.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("description", "MDC JIT Network Access rule for policy '" + policyName + "' of VM '"
                + vm.path("name").asText() + "'.");
        p.put("protocol", "*");
        p.put("sourcePortRange", "*");
        p.put("destinationPortRange", port);
        p.put("sourceAddressPrefix", "*");
        p.put("destinationAddressPrefix", privateIp == null ? "*" : privateIp);
        p.put("access", access);
        p.put("priority", priority);
        p.put("direction", "Inbound");
        return r;
    }
}
