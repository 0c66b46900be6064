package io.jitguard.engine;

import io.jitguard.model.ArmId;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.VmScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run reads: each scope alone, except a burst of VM scopes in one resource group (a scale-out, a Terraform
 * apply), which is read once in bulk. A VM alone costs about 4 reads (VM, NIC, subnet, the group's policies at its
 * location; group and plan cached) before its write and its NSGs after it (with its virtual network's admin rules
 * when not kept), the group in bulk about 6 whatever its size up to a page (group, VMs, classic VMs,
 * NICs, its subnets, policies): from {@link #BULK_MIN_VMS} VMs the bulk read is cheaper. Only the requested VMs are
 * kept, so the run decides exactly what it would VM by VM.
 */
final class ReadUnits {
    static final int BULK_MIN_VMS = 3;

    private ReadUnits() {
    }

    /**
     * One inventory read: {@code readAs}, keeping only {@code vmIds}' VMs when set, and the policy entries of VMs
     * confirmed deleted (the group's listing is read anyway: they go in the same write as the burst's VMs);
     * {@code members} are the run's scopes.
     */
    record Unit(Scope readAs, List<Scope> members, Set<String> vmIds) {
        ObservedSubscription keep(ObservedSubscription o) {
            if (vmIds == null) {
                return o;
            }
            return o.withVms(o.vms().stream().filter(vm -> vmIds.contains(ArmId.key(vm.id()))).toList());
        }

        /** A VM read alone: {@link Inventory#read} leaves its exposure for {@link Inventory#completeExposure}. */
        boolean lone() {
            return vmIds == null && readAs instanceof VmScope;
        }

        /** Requested VMs the bulk read did not find: each is a scope that does not exist. */
        List<Scope> missing(ObservedSubscription o) {
            if (vmIds == null) {
                return List.of();
            }
            Set<String> found = new HashSet<>();
            o.vms().forEach(vm -> found.add(ArmId.key(vm.id())));
            return members.stream().filter(m -> !found.contains(ArmId.key(m.id()))).toList();
        }
    }

    static List<Unit> of(List<Scope> scopes) {
        Map<String, List<Scope>> vmsByGroup = new LinkedHashMap<>();
        for (Scope scope : scopes) {
            if (scope instanceof VmScope vm) {
                vmsByGroup.computeIfAbsent(group(vm), k -> new ArrayList<>()).add(vm);
            }
        }
        List<Unit> units = new ArrayList<>();
        Set<String> grouped = new HashSet<>();
        for (Scope scope : scopes) {
            if (scope instanceof VmScope vm && vmsByGroup.get(group(vm)).size() >= BULK_MIN_VMS) {
                if (grouped.add(group(vm))) {
                    List<Scope> members = vmsByGroup.get(group(vm));
                    Set<String> ids = new HashSet<>();
                    members.forEach(m -> ids.add(ArmId.key(m.id())));
                    units.add(new Unit(new ResourceGroupScope(vm.subscriptionId(), vm.resourceGroup()),
                            List.copyOf(members), ids));
                }
                continue;
            }
            units.add(new Unit(scope, List.of(scope), null));
        }
        return units;
    }

    private static String group(VmScope vm) {
        return ArmId.key(vm.subscriptionId() + "/" + vm.resourceGroup());
    }
}
