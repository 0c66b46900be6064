package io.jitguard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.azure.ArmOptions;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.engine.InProcessPolicyLocks;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.RunOptions;
import io.jitguard.events.EventRouter;
import io.jitguard.report.Report;
import io.jitguard.scope.Scopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Invariants 1 and 2 end to end: random estates (VMs in a few resource groups and locations, NSG or not, exclusions,
 * existing policies with extra ports, looser or stricter rules and requests, a disabled or default monitoring effect)
 * and random event sequences, reconciled through the real SDK against the emulator.
 */
class ReconcileAgainstEmulatorProperties {
    static final String SUB = "44444444-4444-4444-4444-444444444444";
    static final String TENANT = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    static final String[] LOCATIONS = {"westeurope", "northeurope"};
    static final int[] PORTS = {22, 3389, 5985, 5986, 8080, 443};
    static final String[] DURATIONS = {"PT5M", "PT1H", "PT3H", "PT8H", "P1D"};
    static final Duration BASELINE_DURATION = Duration.ofHours(3);
    static final String ASSIGNMENT = "/subscriptions/" + SUB
            + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";

    static final java.util.concurrent.atomic.AtomicLong TRIES = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong WRITES = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong VMS = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong EVENTS = new java.util.concurrent.atomic.AtomicLong();

    @net.jqwik.api.lifecycle.AfterContainer
    static void figures() {
        System.out.printf("[reliability] properties: %d random estates, %d VMs, %d events, %d ARM writes; nothing lost%n",
                TRIES.get(), VMS.get(), EVENTS.get(), WRITES.get());
    }

    record GenVm(String id, String rg, String location, boolean nsg, boolean excluded) {
    }

    record World(Estate estate, List<GenVm> vms, Map<String, String> policies, List<String> events) {
    }

    @Property(tries = 18, seed = "20261123")
    void nothingIsLostAndEveryTouchedVmIsCovered(@ForAll long seed) {
        World w = world(new Random(seed));
        try (ArmEmulator emulator = ArmEmulator.start(w.estate(), 0)) {
            Map<String, JsonNode> before = new HashMap<>();
            w.policies().keySet().forEach(id -> emulator.resource(id).ifPresent(p -> before.put(id, p)));
            JsonNode assignmentBefore = emulator.resource(ASSIGNMENT).orElseThrow();
            Jitguard jitguard = Fleet.jitguard(emulator, ArmOptions.DEFAULT, new InProcessPolicyLocks());

            Set<String> touched = new HashSet<>();
            for (String event : w.events()) {
                Report r = jitguard.reconcile(EventRouter.parse(event).scopes(), new RunOptions(false, "prop"));
                assertThat(r.failures()).as("seed %d", seed).isEmpty();
                r.vms().forEach(v -> touched.add(v.id().toLowerCase(Locale.ROOT)));
            }
            check(emulator, w, before, touched, seed);

            Report sweep = jitguard.reconcile(List.of(Scopes.parse("/subscriptions/" + SUB)),
                    new RunOptions(false, "prop:sweep"));
            assertThat(sweep.failures()).isEmpty();
            Set<String> all = new HashSet<>();
            w.vms().forEach(v -> all.add(v.id().toLowerCase(Locale.ROOT)));
            check(emulator, w, before, all, seed);

            JsonNode assignment = emulator.resource(ASSIGNMENT).orElseThrow().path("properties");
            JsonNode params = assignment.path("parameters");
            assertThat(params.path("jitNetworkAccessMonitoringEffect").path("value").asText("AuditIfNotExists"))
                    .isEqualTo("AuditIfNotExists");
            assertThat(params.path("diskEncryptionMonitoringEffect"))
                    .isEqualTo(assignmentBefore.path("properties").path("parameters").path("diskEncryptionMonitoringEffect"));
            assertThat(assignment.path("notScopes")).isEqualTo(assignmentBefore.path("properties").path("notScopes"));
            assertThat(assignment.path("metadata")).isEqualTo(assignmentBefore.path("properties").path("metadata"));

            long writes = emulator.stats().writes();
            TRIES.incrementAndGet();
            WRITES.addAndGet(writes);
            VMS.addAndGet(w.vms().size());
            EVENTS.addAndGet(w.events().size());
            Report again = jitguard.reconcile(List.of(Scopes.parse("/subscriptions/" + SUB)),
                    new RunOptions(false, "prop:again"));
            assertThat(again.writes()).as("a compliant scope costs zero writes").isEmpty();
            assertThat(emulator.stats().writes()).isEqualTo(writes);
        }
    }

    private static void check(ArmEmulator emulator, World w, Map<String, JsonNode> before, Set<String> vmIds,
            long seed) {
        // 2. nothing a person set is lost, nothing becomes looser
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            JsonNode after = emulator.resource(e.getKey()).orElseThrow();
            assertThat(after.path("properties").path("requests")).as("requests, seed %d", seed)
                    .isEqualTo(e.getValue().path("properties").path("requests"));
            Map<String, Map<String, JsonNode>> b = rules(e.getValue());
            Map<String, Map<String, JsonNode>> a = rules(after);
            b.forEach((vm, rules) -> {
                assertThat(a).as("VM entry kept, seed %d", seed).containsKey(vm);
                rules.forEach((key, rule) -> {
                    JsonNode now = a.get(vm).get(key);
                    assertThat(now).as("rule %s of %s kept, seed %d", key, vm, seed).isNotNull();
                    assertThat(duration(now)).as("duration of %s not longer, seed %d", key, seed)
                            .isLessThanOrEqualTo(duration(rule));
                    Set<String> was = sources(rule);
                    if (!was.contains("*")) {
                        assertThat(was).as("sources of %s not wider, seed %d", key, seed).containsAll(sources(now));
                    }
                });
            });
        }
        // 1. every supported, not excluded VM in scope is covered, no looser than the baseline
        Map<String, Map<String, JsonNode>> all = new HashMap<>();
        for (String policyId : policyIds(w)) {
            emulator.resource(policyId).ifPresent(p -> rules(p).forEach((vm, r) ->
                    all.computeIfAbsent(vm, k -> new LinkedHashMap<>()).putAll(r)));
        }
        for (GenVm vm : w.vms()) {
            String key = vm.id().toLowerCase(Locale.ROOT);
            if (!vmIds.contains(key) || !vm.nsg() || vm.excluded()) {
                continue;
            }
            Map<String, JsonNode> rules = all.get(key);
            assertThat(rules).as("%s covered, seed %d", vm.id(), seed).isNotNull();
            for (int port : new int[] {22, 3389, 5985, 5986}) {
                List<JsonNode> forPort = rules.entrySet().stream().filter(r -> r.getKey().startsWith(port + "/"))
                        .map(Map.Entry::getValue).toList();
                assertThat(forPort).as("%s port %d, seed %d", vm.id(), port, seed).isNotEmpty()
                        .allSatisfy(r -> assertThat(duration(r)).isLessThanOrEqualTo(BASELINE_DURATION));
            }
        }
    }

    static List<String> policyIds(World w) {
        List<String> ids = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            for (String loc : LOCATIONS) {
                ids.add(policyId("rg-" + g, loc));
            }
        }
        return ids;
    }

    static String policyId(String rg, String location) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + rg + "/providers/Microsoft.Security/locations/"
                + location + "/jitNetworkAccessPolicies/default";
    }

    static Map<String, Map<String, JsonNode>> rules(JsonNode policy) {
        Map<String, Map<String, JsonNode>> out = new HashMap<>();
        for (JsonNode vm : policy.path("properties").path("virtualMachines")) {
            Map<String, JsonNode> rules = new LinkedHashMap<>();
            vm.path("ports").forEach(p -> rules.put(p.path("number").asInt() + "/" + p.path("protocol").asText(), p));
            out.put(vm.path("id").asText().toLowerCase(Locale.ROOT), rules);
        }
        return out;
    }

    static Duration duration(JsonNode rule) {
        return Duration.parse(rule.path("maxRequestAccessDuration").asText());
    }

    static Set<String> sources(JsonNode rule) {
        Set<String> s = new HashSet<>();
        if (rule.hasNonNull("allowedSourceAddressPrefix")) {
            s.add(rule.get("allowedSourceAddressPrefix").asText());
        }
        rule.path("allowedSourceAddressPrefixes").forEach(p -> s.add(p.asText()));
        return s;
    }

    // ------------------------------------------------------------------ generation

    static World world(Random rnd) {
        ObjectNode estate = Fleet.JSON.createObjectNode();
        estate.put("tenantId", TENANT);
        estate.put("pageSize", 1 + rnd.nextInt(4));
        ObjectNode sub = estate.putArray("subscriptions").addObject();
        sub.put("subscriptionId", SUB);
        ArrayNode groups = sub.putArray("resourceGroups");
        ArrayNode resources = sub.putArray("resources");
        List<GenVm> vms = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            String rg = "rg-" + g;
            String rgId = "/subscriptions/" + SUB + "/resourceGroups/" + rg;
            boolean rgExcluded = g == 2 && rnd.nextInt(3) == 0;
            ObjectNode group = groups.addObject();
            group.put("name", rg);
            group.put("location", LOCATIONS[g % 2]);
            ObjectNode tags = group.putObject("tags");
            if (rgExcluded) {
                tags.put("jitguard-exclude", "true");
            }
            String nsg = rgId + "/providers/Microsoft.Network/networkSecurityGroups/nsg";
            resources.addObject().put("id", nsg).put("location", LOCATIONS[g % 2]).putObject("properties")
                    .putArray("securityRules");
            String subnet = rgId + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet";
            ObjectNode vnet = resources.addObject().put("id", rgId + "/providers/Microsoft.Network/virtualNetworks/vnet")
                    .put("location", LOCATIONS[g % 2]);
            ObjectNode sn = vnet.putObject("properties").putArray("subnets").addObject();
            sn.put("id", subnet).put("name", "snet").putObject("properties").put("addressPrefix", "10.0." + g + ".0/24");
            int count = rnd.nextInt(5);
            for (int i = 0; i < count; i++) {
                String loc = LOCATIONS[rnd.nextInt(2)];
                String name = "vm-" + g + "-" + i;
                boolean hasNsg = rnd.nextInt(5) != 0;
                boolean vmExcluded = rnd.nextInt(7) == 0;
                String id = rgId + "/providers/Microsoft.Compute/virtualMachines/" + name;
                ObjectNode vm = resources.addObject().put("id", id).put("location", loc);
                ObjectNode vmTags = vm.putObject("tags");
                if (vmExcluded) {
                    vmTags.put("jitguard-exclude", "true");
                }
                String nicId = rgId + "/providers/Microsoft.Network/networkInterfaces/" + name + "-nic";
                ObjectNode nicRef = vm.putObject("properties").putObject("networkProfile").putArray("networkInterfaces")
                        .addObject().put("id", nicId);
                nicRef.putObject("properties").put("primary", true);
                ObjectNode nic = resources.addObject().put("id", nicId).put("location", loc);
                ObjectNode nicProps = nic.putObject("properties");
                ObjectNode ipc = nicProps.putArray("ipConfigurations").addObject().put("name", "ipconfig1");
                ipc.putObject("properties").putObject("subnet").put("id", subnet);
                nicProps.putObject("virtualMachine").put("id", id);
                if (hasNsg) {
                    nicProps.putObject("networkSecurityGroup").put("id", nsg);
                }
                vms.add(new GenVm(id, rg, loc, hasNsg, vmExcluded || rgExcluded));
            }
        }
        Map<String, String> policies = new LinkedHashMap<>();
        for (int g = 0; g < 3; g++) {
            for (String loc : LOCATIONS) {
                String rg = "rg-" + g;
                List<GenVm> here = vms.stream().filter(v -> v.rg().equals(rg) && v.location().equals(loc)).toList();
                String id = policyId(rg, loc);
                policies.put(id, rg);
                if (here.isEmpty() || rnd.nextInt(5) < 2) {
                    continue;
                }
                ObjectNode policy = resources.addObject().put("id", id).put("kind", "Basic").put("location", loc);
                ObjectNode props = policy.putObject("properties");
                ArrayNode entries = props.putArray("virtualMachines");
                ArrayNode requests = props.putArray("requests");
                for (GenVm vm : here) {
                    if (rnd.nextBoolean()) {
                        continue;
                    }
                    ObjectNode entry = entries.addObject().put("id", vm.id());
                    ArrayNode ports = entry.putArray("ports");
                    for (int port : PORTS) {
                        if (rnd.nextBoolean()) {
                            continue;
                        }
                        ObjectNode rule = ports.addObject().put("number", port)
                                .put("protocol", rnd.nextBoolean() ? "*" : "TCP")
                                .put("maxRequestAccessDuration", DURATIONS[rnd.nextInt(DURATIONS.length)]);
                        switch (rnd.nextInt(3)) {
                            case 0 -> rule.put("allowedSourceAddressPrefix", "*");
                            case 1 -> rule.put("allowedSourceAddressPrefix", "10.0.0.0/8");
                            default -> rule.putArray("allowedSourceAddressPrefixes").add("10.1.0.0/16")
                                    .add("192.168.1.0/24");
                        }
                    }
                    if (rnd.nextInt(3) == 0) {
                        ObjectNode req = requests.addObject();
                        req.put("startTimeUtc", "2026-11-0" + (1 + rnd.nextInt(9)) + "T10:00:00Z");
                        req.put("requestor", "user" + rnd.nextInt(100) + "@example.com");
                        ObjectNode rv = req.putArray("virtualMachines").addObject().put("id", vm.id());
                        rv.putArray("ports").addObject().put("number", 22).put("status", "Revoked")
                                .put("statusReason", "Expired").put("endTimeUtc", "2026-11-01T13:00:00Z");
                    }
                }
            }
        }
        resources.addObject().put("id", "/subscriptions/" + SUB + "/providers/Microsoft.Security/pricings/VirtualMachines")
                .putObject("properties").put("pricingTier", "Standard").put("subPlan", "P2");
        ObjectNode assignment = resources.addObject().put("id", ASSIGNMENT);
        ObjectNode aProps = assignment.putObject("properties");
        aProps.put("policyDefinitionId",
                "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8");
        aProps.put("scope", "/subscriptions/" + SUB);
        aProps.putArray("notScopes").add("/subscriptions/" + SUB + "/resourceGroups/rg-2");
        ObjectNode params = aProps.putObject("parameters");
        switch (rnd.nextInt(3)) {
            case 0 -> params.putObject("jitNetworkAccessMonitoringEffect").put("value", "Disabled");
            case 1 -> params.putObject("jitNetworkAccessMonitoringEffect").put("value", "AuditIfNotExists");
            default -> { }
        }
        params.putObject("diskEncryptionMonitoringEffect").put("value", "Disabled");
        aProps.putObject("metadata").put("assignedBy", "Security Center");

        List<String> events = new ArrayList<>();
        int n = 1 + rnd.nextInt(6);
        List<String> policyIds = new ArrayList<>(policies.keySet());
        for (int e = 0; e < n; e++) {
            int kind = rnd.nextInt(4);
            String id;
            if (kind <= 1 && !vms.isEmpty()) {
                id = vms.get(rnd.nextInt(vms.size())).id();
            } else if (kind == 2) {
                id = policyIds.get(rnd.nextInt(policyIds.size()));
            } else {
                id = ASSIGNMENT;
            }
            events.add(ArmEmulator.resourceEvent(id, ArmEmulator.operationName(id, false), ArmEmulator.WRITE_SUCCESS,
                    Map.of("appid", "someone"), TENANT).toString());
        }
        return new World(Estate.parse(estate.toString()), vms, policies, events);
    }
}
