package io.jitguard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.ForwardingArm;
import io.jitguard.azure.ArmConnection;
import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.SdkArm;
import io.jitguard.baseline.BaselineSettings;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.engine.Inventory;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.PolicyLocks;
import io.jitguard.read.ArmInventory;
import java.time.Clock;
import java.util.function.Function;

/** A Jitguard with test hooks in the seams the composition root normally fills. */
final class Wiring {
    private Wiring() {
    }

    static SdkArm arm(ArmEmulator emulator, ArmOptions options) {
        return ArmConnection.fromSettings(Fleet.env(emulator), options);
    }

    static Jitguard jitguard(ArmEmulator emulator, Arm arm, Function<Inventory, Inventory> inventory,
            PolicyLocks locks, Clock clock) {
        return new Jitguard(BaselineSettings.parse(Fleet.env(emulator)), arm, inventory.apply(new ArmInventory(arm, clock)),
                locks, clock);
    }

    /** An {@link Arm} that runs {@code afterPut} after each successful PUT (a concurrent writer, say). */
    static Arm withAfterPut(Arm delegate, Runnable afterPut) {
        return new ForwardingArm(delegate) {
            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                JsonNode out = delegate.put(operation, path, body);
                afterPut.run();
                return out;
            }
        };
    }
}
