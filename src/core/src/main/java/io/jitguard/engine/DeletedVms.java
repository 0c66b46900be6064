package io.jitguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.model.ArmId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one test of "this VM is gone", for the inventory (before a write) and for a write Defender refused: a JIT policy
 * entry whose VM is absent from the resource group's VM listing AND whose GET answers 404. A 403, any other error or
 * a 200 keeps the entry; nothing is decided on a list miss alone.
 */
public final class DeletedVms {
    private DeletedVms() {
    }

    /**
     * @param listedKeys {@link ArmId#key} of every VM the listing returned
     * @param entryIds   the VM ids the policies' entries name, as spelled there
     * @return the entry ids confirmed deleted, each once, as spelled
     */
    public static List<String> confirm(Arm arm, Set<String> listedKeys, Iterable<String> entryIds) {
        List<String> deleted = new ArrayList<>();
        for (String id : candidates(listedKeys, entryIds)) {
            if (isGone(arm, id)) {
                deleted.add(id);
            }
        }
        return deleted;
    }

    /** The entry ids a GET must confirm: VM ids the listing lacks, each once, as spelled. */
    public static List<String> candidates(Set<String> listedKeys, Iterable<String> entryIds) {
        List<String> candidates = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        for (String id : entryIds) {
            if (id == null || listedKeys.contains(ArmId.key(id)) || !checked.add(ArmId.key(id)) || !isComputeVmId(id)) {
                continue;
            }
            candidates.add(id);
        }
        return candidates;
    }

    /** True only when a GET of the VM answers 404; a 200, a 403 or any other error keeps the entry. */
    public static boolean isGone(Arm arm, String vmId) {
        try {
            arm.get(ArmOperation.GET_VM, vmId);
            return false;
        } catch (ArmException e) {
            return e.isNotFound();
        }
    }

    /** {@link ArmId#key} of every VM a listing ({@link ArmOperation#LIST_VMS}) of {@code scopePath} returns. */
    static Set<String> listedKeys(Arm arm, String scopePath) {
        Set<String> keys = new HashSet<>();
        for (JsonNode vm : arm.list(ArmOperation.LIST_VMS, ArmOperation.LIST_VMS.path(scopePath))) {
            if (vm.path("id").isTextual()) {
                keys.add(ArmId.key(vm.path("id").asText()));
            }
        }
        return keys;
    }

    static boolean isComputeVmId(String id) {
        return ArmId.tryParse(id).filter(a -> a.resourceGroup() != null)
                .filter(a -> a.isType("Microsoft.Compute/virtualMachines")).isPresent();
    }
}
