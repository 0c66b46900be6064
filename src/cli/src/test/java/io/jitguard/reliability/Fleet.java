package io.jitguard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.azure.ArmOptions;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import io.jitguard.runtime.Jitguard;
import io.jitguard.runtime.JitguardConfig;
import io.jitguard.engine.PolicyLocks;
import io.jitguard.engine.RunOptions;
import io.jitguard.report.Report;
import io.jitguard.scope.Scopes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The example estate plus generated VMs, and the checks every reliability test makes. */
final class Fleet {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROD = "11111111-1111-1111-1111-111111111111";
    static final String RG_WEB = "/subscriptions/" + PROD + "/resourceGroups/rg-web";
    static final String POLICY = RG_WEB + "/providers/Microsoft.Security/locations/westeurope/"
            + "jitNetworkAccessPolicies/default";
    static final String TOKEN = "test-token";
    static final List<Integer> BASELINE_PORTS = List.of(22, 3389, 5985, 5986);
    /** The engine's, the reader's and the emulator's clock where a test injects one: a fixed instant. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    private Fleet() {
    }

    static Estate example() {
        return Estate.load(Path.of("examples/estate.json"));
    }

    /** An emulator on {@code estate} whose clock (JIT requests) is {@link #CLOCK}. */
    static ArmEmulator start(Estate estate) {
        return ArmEmulator.start(estate, 0, EmulatorTls.tlsDir(), CLOCK);
    }

    static String vmId(String rg, String name) {
        return "/subscriptions/" + PROD + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/"
                + name;
    }

    /** Adds {@code n} Linux VMs with a NIC behind nsg-web in rg-web/westeurope; returns their ids. */
    static List<String> addWebVms(ArmEmulator emulator, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String name = String.format(Locale.ROOT, "%s-%03d", prefix, i);
            ids.add(addVm(emulator, "rg-web", "westeurope", name, RG_WEB + "/providers/Microsoft.Network/"
                    + "networkSecurityGroups/nsg-web", RG_WEB + "/providers/Microsoft.Network/virtualNetworks/vnet-web/"
                    + "subnets/snet-web"));
        }
        return ids;
    }

    /** A VM and its NIC ({@code nsgId} null = no NSG on the NIC). */
    static String addVm(ArmEmulator emulator, String rg, String location, String name, String nsgId, String subnetId) {
        String sub = subnetId.split("/")[2];
        String rgId = "/subscriptions/" + sub + "/resourceGroups/" + rg;
        String id = rgId + "/providers/Microsoft.Compute/virtualMachines/" + name;
        String nicId = rgId + "/providers/Microsoft.Network/networkInterfaces/" + name + "-nic";
        ObjectNode vm = JSON.createObjectNode();
        vm.put("id", id);
        vm.put("location", location);
        vm.putObject("tags");
        ObjectNode props = vm.putObject("properties");
        props.put("vmId", java.util.UUID.nameUUIDFromBytes(id.getBytes()).toString());
        props.putObject("storageProfile").putObject("osDisk").put("osType", "Linux");
        props.putObject("hardwareProfile").put("vmSize", "Standard_B2s");
        ObjectNode nicRef = props.putObject("networkProfile").putArray("networkInterfaces").addObject();
        nicRef.put("id", nicId);
        nicRef.putObject("properties").put("primary", true);
        props.put("provisioningState", "Succeeded");
        emulator.putResource(vm);

        ObjectNode nic = JSON.createObjectNode();
        nic.put("id", nicId);
        nic.put("location", location);
        ObjectNode nicProps = nic.putObject("properties");
        ObjectNode ipc = nicProps.putArray("ipConfigurations").addObject();
        ipc.put("id", nicId + "/ipConfigurations/ipconfig1");
        ipc.put("name", "ipconfig1");
        ObjectNode ipcProps = ipc.putObject("properties");
        ipcProps.putObject("subnet").put("id", subnetId);
        ipcProps.put("primary", true);
        nicProps.putObject("virtualMachine").put("id", id);
        if (nsgId != null) {
            nicProps.putObject("networkSecurityGroup").put("id", nsgId);
        }
        emulator.putResource(nic);
        return id;
    }

    /** "A VM was written" as the subscription system topic raises it, as a one-event delivery. */
    static String vmCreated(ArmEmulator emulator, String vmId) {
        return ArmEmulator.resourceEvent(vmId, ArmEmulator.operationName(vmId, false), ArmEmulator.WRITE_SUCCESS,
                Map.of("appid", "portal-user"), "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa").toString();
    }

    static Map<String, String> env(ArmEmulator emulator) {
        Map<String, String> env = new HashMap<>();
        env.put("JITGUARD_ARM_ENDPOINT", emulator.endpoint());
        env.put("JITGUARD_ARM_TOKEN", TOKEN);
        return env;
    }

    static Jitguard jitguard(ArmEmulator emulator, ArmOptions options, PolicyLocks locks) {
        return Jitguard.builder(JitguardConfig.parse(env(emulator))).armOptions(options).locks(locks).build();
    }

    /** A dry run over the resource group: what an independent fresh read says. */
    static Report check(ArmEmulator emulator, String scope) {
        Jitguard checker = jitguard(emulator, ArmOptions.DEFAULT, new io.jitguard.engine.InProcessPolicyLocks());
        return checker.reconcile(List.of(Scopes.parse(scope)), new RunOptions(true, "test:check"));
    }

    /** "vmId(lower) → set of number/protocol/duration/sources" for every VM entry of the policy. */
    static Map<String, Set<String>> entries(JsonNode policy) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (JsonNode vm : policy.path("properties").path("virtualMachines")) {
            Set<String> ports = new TreeSet<>();
            for (JsonNode p : vm.path("ports")) {
                ports.add(p.path("number").asInt() + "/" + p.path("protocol").asText());
            }
            out.put(vm.path("id").asText().toLowerCase(Locale.ROOT), ports);
        }
        return out;
    }

    /** Each entry of {@code before} is still there in {@code after}, with at least its ports. */
    static List<String> lostEntries(JsonNode before, JsonNode after) {
        Map<String, Set<String>> b = entries(before);
        Map<String, Set<String>> a = entries(after);
        List<String> lost = new ArrayList<>();
        b.forEach((vm, ports) -> {
            Set<String> now = a.get(vm);
            if (now == null) {
                lost.add(vm);
            } else {
                ports.stream().filter(p -> !now.contains(p)).forEach(p -> lost.add(vm + " port " + p));
            }
        });
        return lost;
    }

    /** VM ids (lower-case) that have an entry with every baseline port in some policy of rg-web/westeurope. */
    static List<String> uncovered(ArmEmulator emulator, List<String> vmIds, List<String> policyIds) {
        Map<String, Set<String>> all = new HashMap<>();
        for (String p : policyIds) {
            emulator.resource(p).ifPresent(doc -> entries(doc).forEach((k, v) -> all.merge(k, v, (x, y) -> {
                Set<String> s = new TreeSet<>(x);
                s.addAll(y);
                return s;
            })));
        }
        List<String> missing = new ArrayList<>();
        for (String vm : vmIds) {
            Set<String> ports = all.get(vm.toLowerCase(Locale.ROOT));
            if (ports == null || !BASELINE_PORTS.stream().allMatch(n -> ports.stream()
                    .anyMatch(p -> p.startsWith(n + "/")))) {
                missing.add(vm);
            }
        }
        return missing;
    }

    static ArrayNode array(List<String> events) {
        ArrayNode a = JSON.createArrayNode();
        for (String e : events) {
            try {
                a.add(JSON.readTree(e));
            } catch (Exception ex) {
                throw new IllegalArgumentException(ex);
            }
        }
        return a;
    }
}
