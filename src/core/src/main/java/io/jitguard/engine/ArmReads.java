package io.jitguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;

final class ArmReads {
    private ArmReads() {
    }

    /** The resource, or null when ARM answers 404. */
    static JsonNode getOrNull(Arm arm, ArmOperation operation, String path) {
        try {
            return arm.get(operation, path);
        } catch (ArmException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }
}
