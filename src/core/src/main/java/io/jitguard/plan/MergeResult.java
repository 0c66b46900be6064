package io.jitguard.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body to PUT and what it changed.
 *
 * @param document      the whole policy to send (everything read, minus read-only fields, plus the fixes)
 * @param changesByVmId per VM id of the write (as the write spells it), the fixes in the evaluator's words
 *                      ({@code add to policy default}, {@code add port 22}, {@code tighten port …}); only VMs that
 *                      changed appear, in the order of the write
 */
public record MergeResult(ObjectNode document, Map<String, List<String>> changesByVmId) {
    public MergeResult {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        changesByVmId.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        changesByVmId = Collections.unmodifiableMap(copy);
    }

    public boolean changed() {
        return !changesByVmId.isEmpty();
    }
}
