package io.jitguard.engine;

import io.jitguard.model.ArmId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What applying (or previewing) one write came to; read by {@link ReportAssembler}. */
final class WriteOutcomes {
    private WriteOutcomes() {
    }

    enum PolicyResult { PLANNED, WRITTEN, ALREADY_COVERED, FAILED }

    /**
     * @param changesByVm keyed by {@link io.jitguard.model.ArmId#key} of the VM id
     * @param writtenAt   for {@link PolicyResult#WRITTEN}: when ARM accepted the last PUT (the run's clock as the PUT
     *                    returned, or as the read-back showed a PUT whose answer was lost); else null
     */
    record PolicyOutcome(PolicyResult result, Map<String, List<String>> changesByVm, String failure,
                         java.time.Instant writtenAt) {
        PolicyOutcome(PolicyResult result, Map<String, List<String>> changesByVm, String failure) {
            this(result, changesByVm, failure, null);
        }

        PolicyOutcome {
            Map<String, List<String>> byKey = new LinkedHashMap<>();
            changesByVm.forEach((vm, c) -> byKey.computeIfAbsent(ArmId.key(vm), k -> new ArrayList<>()).addAll(c));
            changesByVm = byKey;
        }
    }

    enum AssignmentResult { PLANNED, WRITTEN, ALREADY_COMPLIANT, FAILED }

    record AssignmentOutcome(AssignmentResult result, String failure) {
    }
}
