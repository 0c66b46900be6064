package io.jitguard.plan;

import io.jitguard.model.ArmId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import io.jitguard.model.ObservedSubscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one exception to "never remove": the entry of a VM that is confirmed gone (absent from the VM listing and a GET
 * answered 404 — decided by the inventory, see {@link ObservedSubscription#deletedVmIds()}, or by the writer when
 * Defender refused a PUT naming it) is removed from its JIT policy, in the same write that adds what is missing. Defender may refuse a later PUT that names a deleted VM, so a
 * policy that needs nothing else is written for it too. Only the {@code virtualMachines} entry goes: the policy's
 * {@code requests} history stays. Pure.
 */
public final class DeletedVmEntries {
    public static final String CHANGE_PREFIX = "remove entry of deleted VM ";

    private DeletedVmEntries() {
    }

    public static String change(String vmId) {
        return CHANGE_PREFIX + vmId;
    }

    /** Per policy id (as read), the confirmed-deleted VM ids its entries name (as the entries spell them). */
    public static Map<JitPolicy, List<String>> byPolicy(ObservedSubscription observed) {
        Set<String> deleted = new HashSet<>();
        observed.deletedVmIds().forEach(id -> deleted.add(key(id)));
        Map<JitPolicy, List<String>> out = new LinkedHashMap<>();
        if (deleted.isEmpty()) {
            return out;
        }
        for (JitPolicy p : observed.policies()) {
            for (JitVm e : p.virtualMachines()) {
                if (e.id() != null && deleted.contains(key(e.id()))) {
                    out.computeIfAbsent(p, k -> new ArrayList<>()).add(e.id());
                }
            }
        }
        return out;
    }

    /**
     * Removes from {@code virtualMachines} every entry whose id is one of {@code vmIds} (case-insensitive).
     *
     * @return the ids removed, as the write spells them, each once
     */
    public static List<String> remove(ArrayNode virtualMachines, List<String> vmIds) {
        List<String> removed = new ArrayList<>();
        for (String vmId : vmIds) {
            boolean any = false;
            for (int i = virtualMachines.size() - 1; i >= 0; i--) {
                JsonNode id = virtualMachines.get(i).path("id");
                if (id.isTextual() && id.asText().equalsIgnoreCase(vmId)) {
                    virtualMachines.remove(i);
                    any = true;
                }
            }
            if (any && removed.stream().noneMatch(vmId::equalsIgnoreCase)) {
                removed.add(vmId);
            }
        }
        return removed;
    }

    private static String key(String id) {
        return ArmId.key(id);
    }
}
