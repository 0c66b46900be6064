package io.jitguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.baseline.Baseline;
import io.jitguard.model.ArmId;
import io.jitguard.plan.PolicyMerge;
import io.jitguard.plan.PolicyWrite;
import io.jitguard.plan.UnmergeableDocumentException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a write's outcome is unknown, ask ARM what it holds instead of guessing.
 *
 * <p>A PUT whose retries ended in a timeout, a connection reset or a 5xx may well have been applied: ARM answers a
 * PUT only after it stored it, and the answer can be lost on the way back. Such a write is followed by one read of
 * the resource; the report says what that read shows (covered → fixed, not covered → the write's failure). A 4xx
 * (including 429: throttled requests are not applied) is a definite "no".
 *
 * <p>At the end of an enforce run, every policy the run wrote is read once more (and rewritten, {@link #FINAL_ROUNDS}
 * times at most): a writer that held no shared lock may have replaced it with a document that lacks what this run
 * added. A subscription's written policies are read with one list where there are two or more.
 */
public final class ReadBack {
    /** Rewrites at most, per policy, in the end-of-run read-back of written policies (each one read back again). */
    public static final int FINAL_ROUNDS = 2;

    private ReadBack() {
    }

    /** True when ARM may have applied the write although the call failed. */
    public static boolean outcomeUnknown(ArmException e) {
        int s = e.status();
        return s == 0 || s == 408 || (s >= 500 && s != 501 && s != 505);
    }

    /**
     * The documents of {@code writes} (all of one subscription) by {@link ArmId#key}, from one list of the
     * subscription's JIT policies when there are two or more; empty when there is one or the list fails (each is then
     * read by GET).
     */
    static Map<String, JsonNode> listed(Arm arm,
            List<PolicyWrite> writes) {
        if (writes.size() < 2) {
            return Map.of();
        }
        Map<String, JsonNode> byId = new HashMap<>();
        try {
            String scope = ArmId.subscription(writes.get(0).subscriptionId()).toString();
            for (JsonNode policy : arm.list(ArmOperation.LIST_JIT_POLICIES,
                    ArmOperation.LIST_JIT_POLICIES.path(scope))) {
                if (policy.path("id").isTextual()) {
                    byId.put(ArmId.key(policy.path("id").asText()), policy);
                }
            }
        } catch (ArmException e) {
            return Map.of();
        }
        return byId;
    }

    /**
     * One plain read (no lock) of a policy this run wrote: true when it lacks something the write added, so the
     * write is planned again (under the lock). The document comes from {@code listed} when the list held it, else from
     * a GET. A failed read keeps what the write's own verification showed.
     */
    static boolean lost(Arm arm, PolicyWrite write,
                        Baseline baseline,
                        Map<String, JsonNode> listed) {
        try {
            JsonNode document = listed.get(ArmId.key(write.policyId()));
            if (document == null) {
                document = ArmReads.getOrNull(arm, ArmOperation.GET_JIT_POLICY, write.policyId());
            }
            return PolicyMerge.merge(document, write, baseline).changed();
        } catch (ArmException | UnmergeableDocumentException e) {
            return false;
        }
    }
}
