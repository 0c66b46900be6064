package io.jitguard.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.model.AdminRule;
import io.jitguard.model.DefenderPlan;
import io.jitguard.model.Firewall;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.PolicyExemption;
import io.jitguard.model.MonitoringAssignment;
import io.jitguard.model.ArmId;
import io.jitguard.model.NetworkIndex;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.Nic;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.model.ResourceGroup;
import io.jitguard.model.Subnet;
import io.jitguard.model.Vm;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.scope.VmScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the observed state of a scope through the {@link Arm} port, with list calls joined in memory (never one
 * GET per VM for a subscription).
 *
 * <p>Reads per scope (each list page is one read):
 * <ul>
 * <li>subscription: resource groups, VMs, classic VMs, NICs, VNets (subnets embedded), firewalls, JIT policies,
 * NSGs (with their rules), pricing, assignment, policy exemptions — 11 reads for a small subscription, independent of its VM count (plus one
 * GET per JIT policy entry whose VM the listing lacks, to confirm it is deleted);</li>
 * <li>resource group: the group, VMs, classic VMs, NICs of the group, each NIC outside it, each distinct subnet,
 * the NSGs of the group and a GET of each NSG on a VM path outside it,
 * firewalls only when a VM has a path with no NSG, JIT policies of the group (and location), pricing;</li>
 * <li>VM: the VM, its group, its NICs, their subnets, each NSG on its path, firewalls only when needed, JIT policies of the group and the VM's
 * location, pricing;</li>
 * <li>monitoring: pricing and assignment.</li>
 * </ul>
 * A VM or resource group that does not exist (404) is an {@link ArmException} with status 404 ({@link #notFound}): a
 * typo in a scope is an error, and a VM deleted before its event arrived is reported as {@code not-found} rather than
 * as an empty, compliant scope. Any other {@link ArmException} propagates.
 */
public final class ArmInventory implements io.jitguard.engine.Inventory {
    private static final Set<String> UNREGISTERED_CODES = Set.of("MissingSubscriptionRegistration",
            "NoRegisteredProviderFound", "InvalidResourceNamespace", "InvalidResourceType");

    /**
     * How long facts that rarely change are kept per instance: a subscription's Defender plan and a resource group
     * (its tags decide exclusion). A plan switched off or an exclusion tag set is seen within this time; a sweep
     * reads them fresh through its lists anyway (groups) or at most this old (plan).
     */
    public static final java.time.Duration FACT_TTL = java.time.Duration.ofMinutes(5);

    private final Arm arm;
    private final java.time.Clock clock;
    private final Map<String, Cached<DefenderPlan>> plans = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Cached<Optional<JsonNode>>> groups = new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached<T>(T value, java.time.Instant until) {
    }

    public ArmInventory(Arm arm) {
        this(arm, java.time.Clock.systemUTC());
    }

    public ArmInventory(Arm arm, java.time.Clock clock) {
        this.arm = arm;
        this.clock = clock;
    }

    private <T> T cached(Map<String, Cached<T>> cache, String key, java.util.function.Supplier<T> read) {
        java.time.Instant now = clock.instant();
        Cached<T> hit = cache.get(key);
        if (hit != null && now.isBefore(hit.until())) {
            return hit.value();
        }
        T value = read.get();
        if (!(value instanceof Optional<?> absent && absent.isEmpty())) {
            // only what exists is kept: a resource group created a moment later must not read as missing
            cache.put(key, new Cached<>(value, now.plus(FACT_TTL)));
        }
        return value;
    }

    private Optional<JsonNode> resourceGroup(String rgPath) {
        return cached(groups, ArmId.key(rgPath), () -> getOptional(ArmOperation.GET_RESOURCE_GROUP, rgPath));
    }

    /** Ids of every subscription the identity can see. */
    public List<String> subscriptions() {
        List<String> ids = new ArrayList<>();
        for (JsonNode sub : arm.list(ArmOperation.LIST_SUBSCRIPTIONS, ArmOperation.LIST_SUBSCRIPTIONS.path())) {
            String id = sub.path("subscriptionId").isTextual() ? sub.path("subscriptionId").asText()
                    : ArmId.tryParse(sub.path("id").asText(null)).map(ArmId::subscription).orElse(null);
            if (id != null && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    public ObservedSubscription read(Scope scope) {
        return readFor(scope, null);
    }

    /**
     * A resource group read for some of its VMs (a burst) confirms deleted entries too: its listing is read anyway, so
     * only entries it lacks cost a GET.
     */
    @Override
    public ObservedSubscription readFor(Scope scope, Set<String> vmIds) {
        if (scope instanceof SubscriptionScope s) {
            return readSubscription(s);
        }
        if (scope instanceof ResourceGroupScope rg) {
            return readResourceGroup(rg);
        }
        if (scope instanceof VmScope vm) {
            return readVm(vm);
        }
        MonitoringScope m = (MonitoringScope) scope;
        List<String> notes = new ArrayList<>();
        List<PolicyExemption> exemptions = exemptions(m.subscriptionId(), notes);
        return new ObservedSubscription(m.subscriptionId(), pricing(m.subscriptionId()), true,
                assignment(m.subscriptionId()), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), exemptions, notes);
    }

    private ObservedSubscription readSubscription(SubscriptionScope scope) {
        String sub = scope.subscriptionId();
        String base = ArmId.subscription(sub).toString();
        List<ResourceGroup> groups = arm.list(ArmOperation.LIST_RESOURCE_GROUPS, ArmOperation.LIST_RESOURCE_GROUPS.path(sub)).stream()
                .map(n -> ArmJson.resourceGroup(sub, n)).toList();
        List<Vm> vms = new ArrayList<>(listVms(base));
        vms.addAll(listClassicVms(base));
        List<Nic> nics = arm.list(ArmOperation.LIST_NICS, ArmOperation.LIST_NICS.path(base))
                .stream().map(ArmJson::nic).toList();
        List<Subnet> subnets = new ArrayList<>();
        for (JsonNode vnet : arm.list(ArmOperation.LIST_VNETS, ArmOperation.LIST_VNETS.path(base))) {
            subnets.addAll(ArmJson.subnetsOfVnet(vnet));
        }
        List<Firewall> firewalls = listFirewalls(sub);
        List<NetworkSecurityGroup> nsgs = listNsgs(base);
        List<JitPolicy> policies = listJitPolicies(ArmOperation.LIST_JIT_POLICIES.path(base));
        List<String> notes = new ArrayList<>();
        List<PolicyExemption> exemptions = exemptions(sub, notes);
        Set<String> vmNics = new HashSet<>();
        vms.forEach(vm -> vm.nicIds().forEach(id -> vmNics.add(ArmId.key(id))));
        Map<String, List<AdminRule>> admin = adminRules(nics.stream().filter(n -> vmNics.contains(ArmId.key(n.id())))
                .toList(), notes);
        return new ObservedSubscription(sub, pricing(sub), true, assignment(sub), groups, vms, nics, subnets,
                firewalls, policies, deletedVms(vms, policies), exemptions, notes, nsgs, clock.instant(), admin);
    }

    private ObservedSubscription readResourceGroup(ResourceGroupScope scope) {
        String sub = scope.subscriptionId();
        String rgPath = ArmOperation.GET_RESOURCE_GROUP.path(sub, scope.resourceGroup());
        Optional<ResourceGroup> group = resourceGroup(rgPath).map(n -> ArmJson.resourceGroup(sub, n));
        if (group.isEmpty()) {
            throw notFound("ResourceGroupNotFound", "resource group " + scope.resourceGroup()
                    + " does not exist in subscription " + sub + " (or the identity cannot see it)");
        }
        String rgScope = ArmId.resourceGroup(sub, scope.resourceGroup()).toString();
        List<Vm> vms = new ArrayList<>(listVms(rgScope));
        vms.addAll(listClassicVms(rgScope));
        if (scope.location().isPresent()) {
            String loc = scope.location().get();
            vms.removeIf(vm -> !sameLocation(vm.location(), loc));
        }
        Map<String, Nic> nics = new LinkedHashMap<>();
        for (JsonNode n : arm.list(ArmOperation.LIST_NICS, ArmOperation.LIST_NICS.path(rgScope))) {
            Nic nic = ArmJson.nic(n);
            nics.put(ArmId.key(nic.id()), nic);
        }
        List<Nic> referenced = referencedNics(vms, nics);
        List<Subnet> subnets = subnetsOf(referenced);
        List<Firewall> firewalls = needsFirewalls(vms, referenced, subnets) ? listFirewalls(sub) : List.of();
        String policiesPath = scope.location().map(l -> ArmOperation.LIST_JIT_POLICIES.path(rgScope, l))
                .orElseGet(() -> ArmOperation.LIST_JIT_POLICIES.path(rgScope));
        List<JitPolicy> policies = listJitPolicies(policiesPath);
        List<NetworkSecurityGroup> nsgs = vms.stream().allMatch(Vm::classic) ? List.of()
                : nsgsOnPaths(referenced, subnets, listNsgs(rgScope));
        List<String> notes = new ArrayList<>();
        Map<String, List<AdminRule>> admin = adminRules(referenced, notes);
        return new ObservedSubscription(sub, pricing(sub), false, Optional.empty(), List.of(group.get()), vms,
                referenced, subnets, firewalls, policies, deletedVms(vms, policies),
                List.of(), notes, nsgs, clock.instant(), admin);
    }

    private ObservedSubscription readVm(VmScope scope) {
        String sub = scope.subscriptionId();
        Optional<JsonNode> node = getOptional(ArmOperation.GET_VM, scope.id());
        if (node.isEmpty()) {
            throw notFound("ResourceNotFound", "virtual machine " + scope.id() + " does not exist");
        }
        Vm vm = ArmJson.vm(node.get(), false);
        String rgPath = ArmOperation.GET_RESOURCE_GROUP.path(sub, scope.resourceGroup());
        List<ResourceGroup> groups = resourceGroup(rgPath)
                .map(n -> List.of(ArmJson.resourceGroup(sub, n))).orElse(List.of());
        List<Nic> nics = referencedNics(List.of(vm), new LinkedHashMap<>());
        List<Subnet> subnets = subnetsOf(nics);
        List<Firewall> firewalls = needsFirewalls(List.of(vm), nics, subnets) ? listFirewalls(sub) : List.of();
        List<JitPolicy> policies = List.of();
        if (vm.location() != null) {
            policies = listJitPolicies(ArmOperation.LIST_JIT_POLICIES.path(
                    ArmId.resourceGroup(sub, scope.resourceGroup()).toString(), vm.location()));
        }
        List<NetworkSecurityGroup> nsgs = vm.classic() ? List.of() : nsgsOnPaths(nics, subnets, List.of());
        List<String> notes = new ArrayList<>();
        Map<String, List<AdminRule>> admin = vm.classic() ? Map.of() : adminRules(nics, notes);
        return new ObservedSubscription(sub, pricing(sub), false, Optional.empty(), groups, List.of(vm), nics, subnets,
                firewalls, policies, List.of(), List.of(), notes, nsgs, clock.instant(), admin);
    }

    /**
     * The AVNM security admin rules in effect on each virtual network of these NICs' IP configurations, by
     * lower-cased VNet id: one paged POST per VNet, kept for {@link #ADMIN_RULES_KEPT} so the reads of one run
     * (a burst of VM scopes in one VNet) share it. A VNet whose rules cannot be read is a read note; exposure is then
     * judged on its NSGs alone.
     */
    private Map<String, List<AdminRule>> adminRules(List<Nic> nics, List<String> notes) {
        Map<String, String> vnets = new LinkedHashMap<>(); // lower-cased id -> id as ARM spelled it
        for (Nic nic : nics) {
            for (String subnet : nic.subnetIds()) {
                int cut = ArmId.key(subnet).indexOf("/subnets/");
                if (cut > 0) {
                    vnets.putIfAbsent(ArmId.key(subnet.substring(0, cut)), subnet.substring(0, cut));
                }
            }
        }
        Map<String, List<AdminRule>> out = new LinkedHashMap<>();
        for (String vnet : vnets.keySet()) {
            java.time.Instant now = clock.instant();
            KeptAdminRules kept = adminRulesByVnet.get(vnet);
            if (kept != null && kept.readAt().plus(ADMIN_RULES_KEPT).isAfter(now) && !kept.readAt().isAfter(now)) {
                out.put(vnet, kept.rules());
                continue;
            }
            try {
                List<AdminRule> rules = new ArrayList<>();
                ArmId id = ArmId.parse(vnets.get(vnet));
                for (JsonNode rule : arm.postPages(ArmOperation.LIST_EFFECTIVE_ADMIN_RULES,
                        ArmOperation.LIST_EFFECTIVE_ADMIN_RULES.path(id.subscription(), id.resourceGroup(), id.name()))) {
                    ArmJson.adminRule(rule).ifPresent(rules::add);
                }
                adminRulesByVnet.put(vnet, new KeptAdminRules(List.copyOf(rules), now));
                out.put(vnet, List.copyOf(rules));
            } catch (ArmException e) {
                notes.add("AVNM security admin rules of virtual network " + vnet.substring(vnet.lastIndexOf('/') + 1)
                        + " could not be read (" + e.getMessage() + "): exposure judged on its NSGs alone");
            }
        }
        return out;
    }

    /** How long a VNet's admin rules read by one run serve the next reads. */
    static final java.time.Duration ADMIN_RULES_KEPT = java.time.Duration.ofMinutes(2);

    private record KeptAdminRules(List<AdminRule> rules, java.time.Instant readAt) {
    }

    private final Map<String, KeptAdminRules> adminRulesByVnet = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every NSG of a subscription or resource group, with its rules: one paged list. */
    private List<NetworkSecurityGroup> listNsgs(String scopePath) {
        return arm.list(ArmOperation.LIST_NSGS, ArmOperation.LIST_NSGS.path(scopePath))
                .stream().map(ArmJson::networkSecurityGroup).toList();
    }

    /**
     * The NSGs on the NICs and their subnets, each from {@code listed} or else one GET. An NSG that cannot be read
     * (403, 404) is left out: the exposure check then notes that it was not read rather than guess.
     */
    private List<NetworkSecurityGroup> nsgsOnPaths(List<Nic> nics, List<Subnet> subnets,
                                                   List<NetworkSecurityGroup> listed) {
        Map<String, NetworkSecurityGroup> known = new LinkedHashMap<>();
        listed.forEach(n -> known.putIfAbsent(ArmId.key(n.id()), n));
        Set<String> wanted = new java.util.LinkedHashSet<>();
        nics.forEach(n -> {
            if (n.nsgId() != null && !n.nsgId().isBlank()) {
                wanted.add(n.nsgId());
            }
        });
        subnets.forEach(s -> {
            if (s.nsgId() != null && !s.nsgId().isBlank()) {
                wanted.add(s.nsgId());
            }
        });
        Map<String, NetworkSecurityGroup> result = new LinkedHashMap<>();
        for (String id : wanted) {
            String key = ArmId.key(id);
            if (result.containsKey(key)) {
                continue;
            }
            NetworkSecurityGroup nsg = known.get(key);
            if (nsg == null) {
                try {
                    nsg = ArmJson.networkSecurityGroup(getReferenced(ArmOperation.GET_NSG, id));
                } catch (ArmException e) {
                    if (e.status() != 403 && !e.isNotFound()) {
                        throw e;
                    }
                }
            }
            if (nsg != null) {
                result.put(key, nsg);
            }
        }
        return List.copyOf(result.values());
    }

    /** The NICs the VMs refer to, each from {@code known} (already listed) or else one GET. */
    private List<Nic> referencedNics(List<Vm> vms, Map<String, Nic> known) {
        Map<String, Nic> result = new LinkedHashMap<>();
        for (Vm vm : vms) {
            for (String nicId : vm.nicIds()) {
                String key = ArmId.key(nicId);
                if (!result.containsKey(key)) {
                    Nic listed = known.get(key);
                    result.put(key, listed != null ? listed : ArmJson.nic(getReferenced(ArmOperation.GET_NIC, nicId)));
                }
            }
        }
        return List.copyOf(result.values());
    }

    private List<Subnet> subnetsOf(List<Nic> nics) {
        Map<String, Subnet> subnets = new LinkedHashMap<>();
        for (Nic nic : nics) {
            for (String subnetId : nic.subnetIds()) {
                String key = ArmId.key(subnetId);
                if (!subnets.containsKey(key)) {
                    subnets.put(key, ArmJson.subnet(getReferenced(ArmOperation.GET_SUBNET, subnetId)));
                }
            }
        }
        return List.copyOf(subnets.values());
    }

    /** True when some VM has a NIC/subnet path without an NSG: then an Azure Firewall may be what protects it. */
    static boolean needsFirewalls(List<Vm> vms, List<Nic> nics, List<Subnet> subnets) {
        NetworkIndex network = new NetworkIndex(nics, subnets, List.of());
        return vms.stream().anyMatch(vm -> !vm.classic() && !network.walk(vm).everyPathNsg());
    }

    private List<Vm> listVms(String scopePath) {
        return arm.list(ArmOperation.LIST_VMS, ArmOperation.LIST_VMS.path(scopePath)).stream()
                .map(n -> ArmJson.vm(n, false)).toList();
    }

    /** Classic VMs; a subscription where the classic provider is not registered (404/400/409) has none. */
    private List<Vm> listClassicVms(String scopePath) {
        try {
            return arm.list(ArmOperation.LIST_CLASSIC_VMS,
                    ArmOperation.LIST_CLASSIC_VMS.path(scopePath)).stream()
                    .map(n -> ArmJson.vm(n, true)).toList();
        } catch (ArmException e) {
            if (e.status() == 404 || e.status() == 400
                    || (e.status() == 409 && UNREGISTERED_CODES.contains(e.code()))) {
                return List.of();
            }
            throw e;
        }
    }

    private List<Firewall> listFirewalls(String sub) {
        return arm.list(ArmOperation.LIST_FIREWALLS,
                ArmOperation.LIST_FIREWALLS.path(ArmId.subscription(sub).toString())).stream()
                .map(ArmJson::firewall).toList();
    }

    /**
     * The Defender for Servers pricing. A 409 (Microsoft.Security not registered: {@code MissingSubscriptionRegistration})
     * blocks the subscription's VMs with that reason and fails nothing else of the subscription.
     */
    private DefenderPlan pricing(String sub) {
        try {
            return cached(plans, ArmId.key(sub), () -> getOptional(ArmOperation.GET_PRICING,
                    ArmOperation.GET_PRICING.path(sub))
                    .map(ArmJson::pricing).orElse(DefenderPlan.FREE));
        } catch (ArmException e) {
            if (e.status() == 409) {
                return DefenderPlan.unavailable("the Defender for Servers plan cannot be read (" + e.code()
                        + "): the Microsoft.Security resource provider is not registered in the subscription");
            }
            throw e;
        }
    }

    /**
     * Every policy exemption of the subscription (filtered to the JIT audit when reported). Exemptions have no stable
     * api-version; when the list fails (403 without policyExemptions/read, an API the endpoint lacks) the failure is a
     * note on the monitoring report and fails nothing.
     */
    private List<PolicyExemption> exemptions(String sub, List<String> notes) {
        try {
            return arm.list(ArmOperation.LIST_POLICY_EXEMPTIONS,
                    ArmOperation.LIST_POLICY_EXEMPTIONS.path(sub)).stream()
                    .map(ArmJson::exemption).filter(e -> !expired(e)).toList();
        } catch (ArmException e) {
            notes.add("policy exemptions could not be listed (" + e.status() + " " + e.code() + ")");
            return List.of();
        }
    }

    /** An exemption past its expiresOn no longer exempts anything (Azure evaluates the resources again). */
    private boolean expired(PolicyExemption e) {
        try {
            return e.expiresOn() != null
                    && java.time.OffsetDateTime.parse(e.expiresOn()).toInstant().isBefore(clock.instant());
        } catch (java.time.format.DateTimeParseException unparsable) {
            return false;
        }
    }

    /**
     * JIT policies at {@code path}; none where Microsoft.Security is not registered (409
     * {@code MissingSubscriptionRegistration}: no JIT policy can exist there, the VMs are blocked by the plan read).
     */
    private List<JitPolicy> listJitPolicies(String path) {
        try {
            return arm.list(ArmOperation.LIST_JIT_POLICIES, path).stream().map(ArmJson::jitPolicy).toList();
        } catch (ArmException e) {
            if (e.status() == 409 && UNREGISTERED_CODES.contains(e.code())) {
                return List.of();
            }
            throw e;
        }
    }

    /** JIT policy entries whose VM is confirmed gone ({@link io.jitguard.engine.DeletedVms}). */
    private List<String> deletedVms(List<Vm> listed, List<JitPolicy> policies) {
        Set<String> known = new HashSet<>();
        listed.forEach(vm -> known.add(ArmId.key(vm.id())));
        List<String> entries = new ArrayList<>();
        policies.forEach(p -> p.virtualMachines().forEach(e -> entries.add(e.id())));
        return io.jitguard.engine.DeletedVms.confirm(arm, known, entries);
    }

    private Optional<MonitoringAssignment> assignment(String sub) {
        return getOptional(ArmOperation.GET_POLICY_ASSIGNMENT,
                ArmOperation.GET_POLICY_ASSIGNMENT.path(sub, MonitoringScope.ASSIGNMENT_NAME))
                .map(n -> ArmJson.assignment(sub, n));
    }

    /** A GET of a resource another document refers to by id: an id that is not one of {@code operation} is malformed. */
    private JsonNode getReferenced(ArmOperation operation, String id) {
        if (!operation.matches(id)) {
            throw new MalformedArmDocumentException("ARM returned a reference that " + operation
                    + " cannot read: " + id);
        }
        return arm.get(operation, id);
    }

    private Optional<JsonNode> getOptional(ArmOperation operation, String path) {
        try {
            return Optional.of(arm.get(operation, path));
        } catch (ArmException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A scope that does not exist: status 404, never retried. */
    static ArmException notFound(String code, String message) {
        return new ArmException(404, code, message + " (404 " + code + ")");
    }

    private static boolean sameLocation(String a, String b) {
        return a != null && a.replace(" ", "").equalsIgnoreCase(b.replace(" ", ""));
    }
}
