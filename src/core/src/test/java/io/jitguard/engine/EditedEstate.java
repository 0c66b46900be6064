package io.jitguard.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.arm.Arm;
import io.jitguard.EmulatorArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import io.jitguard.read.ArmInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** The example estate, edited by a test, on the emulator, with an engine over the real SDK. */
abstract class EditedEstate {
    static final ObjectMapper JSON = new ObjectMapper();

    ArmEmulator emulator;
    Arm arm;
    Reconciler jitguard;
    /**
     * The engine's, the reader's and the emulator's clock (JIT request windows, the deny-rule grace period): a fixed
     * instant, after every date in the example estate, so no test depends on when it runs.
     */
    Clock clock = Clock.fixed(java.time.Instant.parse("2026-12-07T10:00:00Z"), java.time.ZoneOffset.UTC);

    void start(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode estate = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/estate.json")));
        edit.accept(estate);
        emulator = ArmEmulator.start(Estate.parse(estate.toString()), 0, EmulatorTls.tlsDir(), clock);
        arm = EmulatorArm.of(emulator);
        jitguard = new Reconciler(new ArmInventory(arm, clock), arm, Baseline.defaults(), new InProcessPolicyLocks(),
                clock);
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
