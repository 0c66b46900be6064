package io.jitguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.model.ArmId;
import io.jitguard.plan.PolicyWrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A JIT policy PUT refused with 400 naming a VM the policy lists (Defender may refuse a policy naming a deleted VM):
 * the entries the resource group's VM listing lacks are confirmed gone ({@link DeletedVms}), and the write is retried
 * once without them. A VM scope reads no listing before it writes, so this is where its stale entries are found; a
 * resource group with none pays nothing.
 */
final class RefusedWrite {
    private RefusedWrite() {
    }

    /**
     * @param sent the policy as read, onto which {@code write} was merged
     * @return {@code write} with the confirmed-deleted entries to remove, or null when the refusal is not about a
     *         deleted VM of this policy (then the refusal stands)
     */
    static PolicyWrite withoutDeletedVms(Arm arm, PolicyWrite write, JsonNode sent, ArmException refusal) {
        if (refusal.status() != 400 || sent == null) {
            return null;
        }
        Set<String> writing = new HashSet<>();
        write.vmIds().forEach(id -> writing.add(ArmId.key(id)));
        write.removeVmIds().forEach(id -> writing.add(ArmId.key(id)));
        List<String> others = new ArrayList<>();
        for (JsonNode entry : sent.path("properties").path("virtualMachines")) {
            String id = entry.path("id").asText(null);
            if (id != null && !writing.contains(ArmId.key(id))) {
                others.add(id);
            }
        }
        String message = refusal.getMessage() == null ? "" : refusal.getMessage().toLowerCase(Locale.ROOT);
        List<String> named = others.stream().filter(id -> names(message, id)).toList();
        if (named.isEmpty()) {
            return null;
        }
        String group = ArmId.resourceGroup(write.subscriptionId(), write.resourceGroup()).toString();
        Set<String> listed;
        try {
            listed = DeletedVms.listedKeys(arm, group);
        } catch (ArmException unreadable) {
            return null; // without the listing nothing is confirmed: the refusal stands
        }
        List<String> gone = DeletedVms.confirm(arm, listed, others);
        Set<String> goneKeys = new HashSet<>();
        gone.forEach(id -> goneKeys.add(ArmId.key(id)));
        if (named.stream().noneMatch(id -> goneKeys.contains(ArmId.key(id)))) {
            return null;
        }
        List<String> removals = new ArrayList<>(write.removeVmIds());
        removals.addAll(gone);
        return write.withRemoveVmIds(removals);
    }

    /** The message names the VM by its id, or by its name in quotes. */
    private static boolean names(String message, String vmId) {
        String id = vmId.toLowerCase(Locale.ROOT);
        String name = id.substring(id.lastIndexOf('/') + 1);
        return message.contains(id) || message.contains("'" + name + "'") || message.contains("\"" + name + "\"");
    }
}
