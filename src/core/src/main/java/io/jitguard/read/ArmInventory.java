package io.jitguard.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.ConcurrentReads;
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
    private final ConcurrentReads reads;
    private final Map<String, Cached<DefenderPlan>> plans = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Cached<Optional<JsonNode>>> groups = new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached<T>(T value, java.time.Instant until) {
    }

    public ArmInventory(Arm arm) {
        this(arm, java.time.Clock.systemUTC());
    }

    public ArmInventory(Arm arm, java.time.Clock clock) {
        this(arm, clock, ConcurrentReads.oneAtATime(arm));
    }

    /** @param reads how a scope's independent reads are sent together (e.g. {@link ConcurrentReads#bounded}) */
    public ArmInventory(Arm arm, java.time.Clock clock, ConcurrentReads reads) {
        this.arm = arm;
        this.clock = clock;
        this.reads = reads;
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
        var plan = reads.start(() -> pricing(m.subscriptionId()));
        var assignment = reads.start(() -> assignment(m.subscriptionId()));
        List<PolicyExemption> exemptions = exemptions(m.subscriptionId(), notes);
        return new ObservedSubscription(m.subscriptionId(), plan.join(), true, assignment.join(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), exemptions, notes);
    }

    private ObservedSubscription readSubscription(SubscriptionScope scope) {
        String sub = scope.subscriptionId();
        String base = ArmId.subscription(sub).toString();
        // the subscription's lists are independent of each other: sent together
        var groupList = reads.start(() -> arm.list(ArmOperation.LIST_RESOURCE_GROUPS,
                ArmOperation.LIST_RESOURCE_GROUPS.path(sub), n -> ArmJson.resourceGroup(sub, n)));
        var vmList = reads.start(() -> listVms(base));
        var classicList = reads.start(() -> listClassicVms(base));
        var nicList = reads.start(() -> arm.list(ArmOperation.LIST_NICS, ArmOperation.LIST_NICS.path(base),
                ArmJson::nic));
        var subnetList = reads.start(() -> arm.list(ArmOperation.LIST_VNETS, ArmOperation.LIST_VNETS.path(base),
                ArmJson::subnetsOfVnet).stream().flatMap(List::stream).toList());
        var firewallList = reads.start(() -> listFirewalls(sub));
        var nsgList = reads.start(() -> listNsgs(base));
        var policyList = reads.start(() -> listJitPolicies(ArmOperation.LIST_JIT_POLICIES.path(base)));
        var plan = reads.start(() -> pricing(sub));
        var assignment = reads.start(() -> assignment(sub));
        List<String> notes = new ArrayList<>();
        List<PolicyExemption> exemptions = exemptions(sub, notes);
        List<ResourceGroup> groups = groupList.join();
        List<Vm> vms = new ArrayList<>(vmList.join());
        vms.addAll(classicList.join());
        List<JitPolicy> policies = policyList.join();
        // the admin rules (one POST per virtual network) only tell exposure: read by completeExposure
        return new ObservedSubscription(sub, plan.join(), true, assignment.join(), groups, vms, nicList.join(),
                subnetList.join(), firewallList.join(), policies, deletedVms(vms, policies), exemptions, notes,
                nsgList.join(), clock.instant(), Map.of());
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
        var vmList = reads.start(() -> listVms(rgScope));
        var classicList = reads.start(() -> listClassicVms(rgScope));
        var nicList = reads.start(() -> arm.list(ArmOperation.LIST_NICS, ArmOperation.LIST_NICS.path(rgScope),
                ArmJson::nic));
        String policiesPath = scope.location().map(l -> ArmOperation.LIST_JIT_POLICIES.path(rgScope, l))
                .orElseGet(() -> ArmOperation.LIST_JIT_POLICIES.path(rgScope));
        var policyList = reads.start(() -> listJitPolicies(policiesPath));
        var plan = reads.start(() -> pricing(sub));
        List<Vm> vms = new ArrayList<>(vmList.join());
        vms.addAll(classicList.join());
        if (scope.location().isPresent()) {
            String loc = scope.location().get();
            vms.removeIf(vm -> !sameLocation(vm.location(), loc));
        }
        // the group's NSGs only when a VM can have one (no VMs, or only classic ones: none)
        var nsgList = vms.stream().allMatch(Vm::classic) ? null : reads.start(() -> listNsgs(rgScope));
        Map<String, Nic> nics = new LinkedHashMap<>();
        for (Nic nic : nicList.join()) {
            nics.put(ArmId.key(nic.id()), nic);
        }
        List<Nic> referenced = referencedNics(vms, nics);
        List<Subnet> subnets = subnetsOf(referenced);
        var firewallList = needsFirewalls(vms, referenced, subnets) ? reads.start(() -> listFirewalls(sub)) : null;
        List<JitPolicy> policies = policyList.join();
        // the group's NSGs as listed: those on paths outside it and the admin rules are read by completeExposure
        List<NetworkSecurityGroup> nsgs = nsgList == null ? List.of() : nsgList.join();
        List<Firewall> firewalls = firewallList == null ? List.of() : firewallList.join();
        return new ObservedSubscription(sub, plan.join(), false, Optional.empty(), List.of(group.get()), vms,
                referenced, subnets, firewalls, policies, deletedVms(vms, policies),
                List.of(), List.of(), nsgs, clock.instant(), Map.of());
    }

    private ObservedSubscription readVm(VmScope scope) {
        String sub = scope.subscriptionId();
        Optional<JsonNode> node = getOptional(ArmOperation.GET_VM, scope.id());
        if (node.isEmpty()) {
            throw notFound("ResourceNotFound", "virtual machine " + scope.id() + " does not exist");
        }
        Vm vm = ArmJson.vm(node.get(), false);
        // what the VM names (its group, location, NICs) is read together: then its subnets, then their NSGs
        String rgPath = ArmOperation.GET_RESOURCE_GROUP.path(sub, scope.resourceGroup());
        var groupRead = reads.start(() -> resourceGroup(rgPath)
                .map(n -> List.of(ArmJson.resourceGroup(sub, n))).orElse(List.<ResourceGroup>of()));
        var plan = reads.start(() -> pricing(sub));
        var policyList = vm.location() == null ? null : reads.start(() -> listJitPolicies(
                ArmOperation.LIST_JIT_POLICIES.path(ArmId.resourceGroup(sub, scope.resourceGroup()).toString(),
                        vm.location())));
        List<Nic> nics = referencedNics(List.of(vm), new LinkedHashMap<>());
        List<Subnet> subnets = subnetsOf(nics);
        var firewallList = needsFirewalls(List.of(vm), nics, subnets) ? reads.start(() -> listFirewalls(sub)) : null;
        List<Firewall> firewalls = firewallList == null ? List.of() : firewallList.join();
        List<JitPolicy> policies = policyList == null ? List.of() : policyList.join();
        // the NSG documents and admin rules only tell exposure: read by completeExposure, after the write
        return new ObservedSubscription(sub, plan.join(), false, Optional.empty(), groupRead.join(), List.of(vm),
                nics, subnets, firewalls, policies, List.of(), List.of(), List.of(), List.of(), clock.instant(),
                Map.of());
    }

    /**
     * The NSGs on the paths of {@code observed}'s NICs and subnets it lacks, read together with the admin rules of the
     * virtual networks it lacks. An NSG that cannot be read (other than gone or forbidden, which exposure already
     * reports as not read) leaves the NSGs as they were, with a read note.
     */
    @Override
    public ObservedSubscription completeExposure(ObservedSubscription observed) {
        Set<String> vmNics = new HashSet<>();
        observed.vms().forEach(vm -> vm.nicIds().forEach(id -> vmNics.add(ArmId.key(id))));
        List<Nic> nics = observed.nics().stream().filter(n -> vmNics.contains(ArmId.key(n.id()))).toList();
        if (nics.isEmpty()) {
            return observed;
        }
        List<String> notes = new ArrayList<>(observed.readNotes());
        List<String> adminNotes = new ArrayList<>();
        var adminRead = reads.start(() -> adminRules(nics, observed.subnets(), adminNotes)); // kept a while
        List<NetworkSecurityGroup> nsgs = observed.nsgs();
        try {
            nsgs = nsgsOnPaths(nics, observed.subnets(), observed.nsgs());
        } catch (ArmException e) {
            notes.add("network security groups on the VM's paths could not be read (" + e.getMessage()
                    + "): exposure not judged on them");
        }
        Map<String, List<AdminRule>> admin = new LinkedHashMap<>(adminRead.join());
        admin.putAll(observed.adminRules());
        notes.addAll(adminNotes);
        return observed.withExposure(nsgs, admin, notes);
    }

    /**
     * The AVNM security admin rules in effect on each virtual network of these NICs' IP configurations, by
     * lower-cased VNet id: one paged POST per VNet, kept for {@link #ADMIN_RULES_KEPT} so the reads of one run
     * (a burst of VM scopes in one VNet) share it. The first VNet's POST goes alone, the others together after it:
     * when the first fails in a way no other VNet of the subscription can escape ({@link #failsEveryVnet}: the action
     * is forbidden, the request or the route is not served), the others are not sent. A VNet whose rules cannot be
     * read is a read note; exposure is then judged on its NSGs alone.
     *
     * @param subnets the subnets read with these NICs: their virtual networks are known to exist
     */
    private Map<String, List<AdminRule>> adminRules(List<Nic> nics, List<Subnet> subnets, List<String> notes) {
        Map<String, String> vnets = new LinkedHashMap<>(); // lower-cased id -> id as ARM spelled it
        for (Nic nic : nics) {
            for (String subnet : nic.subnetIds()) {
                NetworkIndex.vnetOf(subnet).ifPresent(v -> vnets.putIfAbsent(ArmId.key(v), v));
            }
        }
        Map<String, List<AdminRule>> out = new LinkedHashMap<>();
        List<String> toRead = new ArrayList<>();
        java.time.Instant now = clock.instant();
        for (String vnet : vnets.keySet()) {
            KeptAdminRules kept = adminRulesByVnet.get(vnet);
            if (kept != null && kept.readAt().plus(ADMIN_RULES_KEPT).isAfter(now) && !kept.readAt().isAfter(now)) {
                out.put(vnet, kept.rules());
            } else {
                toRead.add(vnet);
            }
        }
        if (toRead.isEmpty()) {
            return out;
        }
        AdminRulesRead first = readAdminRules(vnets.get(toRead.get(0)));
        List<AdminRulesRead> answers = new ArrayList<>(List.of(first));
        List<String> rest = toRead.subList(1, toRead.size());
        if (first.failure() != null && !rest.isEmpty() && failsEveryVnet(first.failure(), subnets.stream()
                .anyMatch(s -> NetworkIndex.vnetOf(s.id()).map(ArmId::key).orElse("").equals(toRead.get(0))))) {
            notes.add("AVNM security admin rules of " + rest.size() + " more virtual network(s) not read: the first"
                    + " answered " + first.failure().status() + " " + first.failure().code()
                    + ", which no virtual network of the subscription escapes; exposure judged on their NSGs alone");
        } else {
            answers.addAll(reads.all(rest.stream().<java.util.function.Supplier<AdminRulesRead>>map(
                    v -> () -> readAdminRules(vnets.get(v))).toList()));
        }
        for (int i = 0; i < answers.size(); i++) {
            String vnet = toRead.get(i);
            AdminRulesRead answer = answers.get(i);
            if (answer.failure() == null) {
                adminRulesByVnet.put(vnet, new KeptAdminRules(answer.rules(), now));
                out.put(vnet, answer.rules());
            } else {
                notes.add("AVNM security admin rules of virtual network " + vnet.substring(vnet.lastIndexOf('/') + 1)
                        + " could not be read (" + answer.failure().getMessage()
                        + "): exposure judged on its NSGs alone");
            }
        }
        return out;
    }

    private record AdminRulesRead(List<AdminRule> rules, ArmException failure) {
    }

    private AdminRulesRead readAdminRules(String vnetId) {
        try {
            List<AdminRule> rules = new ArrayList<>();
            ArmId id = ArmId.parse(vnetId);
            for (JsonNode rule : arm.postPages(ArmOperation.LIST_EFFECTIVE_ADMIN_RULES,
                    ArmOperation.LIST_EFFECTIVE_ADMIN_RULES.path(id.subscription(), id.resourceGroup(), id.name()))) {
                ArmJson.adminRule(rule).ifPresent(rules::add);
            }
            return new AdminRulesRead(List.copyOf(rules), null);
        } catch (ArmException e) {
            return new AdminRulesRead(List.of(), e);
        }
    }

    /**
     * Whether an admin-rules POST failed in a way every other VNet of the subscription would too: the action is
     * forbidden (403), the request or route is not served (400, 405, 501), or a 404 for a virtual network this read
     * has just seen (so what is missing is the action, not the network). Throttling, server errors and a 404 for a
     * network not seen are about this call or this network only.
     */
    static boolean failsEveryVnet(ArmException e, boolean vnetSeen) {
        return e.isNotServed() || e.status() == 403 || (e.isNotFound() && vnetSeen);
    }

    /** How long a VNet's admin rules read by one run serve the next reads. */
    static final java.time.Duration ADMIN_RULES_KEPT = java.time.Duration.ofMinutes(2);

    private record KeptAdminRules(List<AdminRule> rules, java.time.Instant readAt) {
    }

    private final Map<String, KeptAdminRules> adminRulesByVnet = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every NSG of a subscription or resource group, with its rules: one paged list. */
    private List<NetworkSecurityGroup> listNsgs(String scopePath) {
        return arm.list(ArmOperation.LIST_NSGS, ArmOperation.LIST_NSGS.path(scopePath),
                ArmJson::networkSecurityGroup);
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
        Map<String, String> ids = new LinkedHashMap<>();
        wanted.forEach(id -> ids.putIfAbsent(ArmId.key(id), id));
        List<NetworkSecurityGroup> found = new ArrayList<>(getEach(ids, known, id -> {
            try {
                return ArmJson.networkSecurityGroup(getReferenced(ArmOperation.GET_NSG, id));
            } catch (ArmException e) {
                if (e.status() != 403 && !e.isNotFound()) {
                    throw e;
                }
                return null;
            }
        }));
        found.removeIf(java.util.Objects::isNull);
        return List.copyOf(found);
    }

    /** The NICs the VMs refer to, each from {@code known} (already listed) or else one GET. */
    private List<Nic> referencedNics(List<Vm> vms, Map<String, Nic> known) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Vm vm : vms) {
            for (String nicId : vm.nicIds()) {
                ids.putIfAbsent(ArmId.key(nicId), nicId);
            }
        }
        return getEach(ids, known, id -> ArmJson.nic(getReferenced(ArmOperation.GET_NIC, id)));
    }

    private List<Subnet> subnetsOf(List<Nic> nics) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Nic nic : nics) {
            for (String subnetId : nic.subnetIds()) {
                ids.putIfAbsent(ArmId.key(subnetId), subnetId);
            }
        }
        return getEach(ids, Map.of(), id -> ArmJson.subnet(getReferenced(ArmOperation.GET_SUBNET, id)));
    }

    /** For each id (key → id, in order) the known item, else one GET; the GETs sent together. */
    private <T> List<T> getEach(Map<String, String> ids, Map<String, T> known,
                                java.util.function.Function<String, T> get) {
        List<String> missing = ids.entrySet().stream().filter(e -> !known.containsKey(e.getKey()))
                .map(Map.Entry::getValue).toList();
        List<T> fetched = reads.all(missing.stream().<java.util.function.Supplier<T>>map(id -> () -> get.apply(id))
                .toList());
        List<T> result = new ArrayList<>(ids.size());
        int next = 0;
        for (Map.Entry<String, String> e : ids.entrySet()) {
            result.add(known.containsKey(e.getKey()) ? known.get(e.getKey()) : fetched.get(next++));
        }
        return result;
    }

    /** True when some VM has a NIC/subnet path without an NSG: then an Azure Firewall may be what protects it. */
    static boolean needsFirewalls(List<Vm> vms, List<Nic> nics, List<Subnet> subnets) {
        NetworkIndex network = new NetworkIndex(nics, subnets, List.of());
        return vms.stream().anyMatch(vm -> !vm.classic() && !network.walk(vm).everyPathNsg());
    }

    private List<Vm> listVms(String scopePath) {
        return arm.list(ArmOperation.LIST_VMS, ArmOperation.LIST_VMS.path(scopePath), n -> ArmJson.vm(n, false));
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
            return arm.list(ArmOperation.LIST_JIT_POLICIES, path, ArmJson::jitPolicy);
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
        List<String> candidates = io.jitguard.engine.DeletedVms.candidates(known, entries);
        // the confirming GETs are independent: sent together
        List<Boolean> gone = reads.all(candidates.stream().<java.util.function.Supplier<Boolean>>map(
                id -> () -> io.jitguard.engine.DeletedVms.isGone(arm, id)).toList());
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (gone.get(i)) {
                deleted.add(candidates.get(i));
            }
        }
        return deleted;
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
