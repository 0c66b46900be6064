package io.jitguard.plan;

import io.jitguard.model.ArmId;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.JitVm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The re-check under the policy lock: the policies of the write's resource group + location, as listed by one read
 * of that scope, decide again whether a VM the write would add is already listed elsewhere there (the subscription-
 * scope list can miss a policy). Such a VM is not added (never duplicated into {@code default}); a VM the write's own
 * policy already lists stays in the write (it may need tightening). Pure.
 */
public final class PolicyChoice {
    private PolicyChoice() {
    }

    /**
     * @param write     the planned write
     * @param here      the JIT policies of the write's resource group + location, as just read
     * @return the write without the VMs listed by another policy there, and those VMs with the policy that lists them
     */
    public static Choice recheck(PolicyWrite write, List<JitPolicy> here) {
        List<String> keep = new ArrayList<>();
        Map<String, String> elsewhere = new LinkedHashMap<>();
        // each policy's VM ids, lower-cased, built once: a check per VM is then a lookup, not a scan of the entries
        Map<JitPolicy, Set<String>> listed = new IdentityHashMap<>();
        for (JitPolicy p : here) {
            Set<String> ids = new HashSet<>();
            p.virtualMachines().stream().map(JitVm::id).filter(java.util.Objects::nonNull)
                    .forEach(id -> ids.add(ArmId.key(id)));
            listed.put(p, ids);
        }
        for (String vmId : write.vmIds()) {
            String key = ArmId.key(vmId);
            boolean listedHere = here.stream()
                    .anyMatch(p -> p.id().equalsIgnoreCase(write.policyId()) && listed.get(p).contains(key));
            String other = here.stream()
                    .filter(p -> !p.id().equalsIgnoreCase(write.policyId()) && listed.get(p).contains(key))
                    .map(JitPolicy::id).sorted(String.CASE_INSENSITIVE_ORDER).findFirst().orElse(null);
            if (other != null && !listedHere) {
                elsewhere.put(vmId, other);
            } else {
                keep.add(vmId);
            }
        }
        return new Choice(write.withVmIds(keep), elsewhere);
    }

    /**
     * {@link #recheck(PolicyWrite, List)}, also keeping what it was made against: a list returns each policy's whole
     * document, so the write's own policy need not be read again (a GET saved).
     */
    public static Listed recheckListed(PolicyWrite write, List<JitPolicy> here) {
        return new Listed(recheck(write, here), java.util.Optional.of(here));
    }

    /** A re-check and the policies of the write's resource group + location it was made against, when listed. */
    public record Listed(Choice choice, java.util.Optional<List<JitPolicy>> here) {
        /** Nothing was listed: the write stands as planned (it adds no VM, so there is nothing to re-check). */
        public static Listed notListed(PolicyWrite write) {
            return new Listed(new Choice(write, Map.of()), java.util.Optional.empty());
        }

        /** The write's own policy as listed: present (its document), absent (null), or not listed (empty). */
        public java.util.Optional<java.util.Optional<String>> ownDocument(String policyId) {
            return here.map(list -> list.stream().filter(p -> p.id().equalsIgnoreCase(policyId)).map(JitPolicy::json)
                    .findFirst());
        }
    }

    /**
     * @param write     what is left to write
     * @param elsewhere VM id → the id of another policy of the same resource group + location that already lists it
     */
    public record Choice(PolicyWrite write, Map<String, String> elsewhere) {
        public Choice {
            elsewhere = Map.copyOf(elsewhere);
        }
    }
}
