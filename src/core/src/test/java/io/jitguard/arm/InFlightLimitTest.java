package io.jitguard.arm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.EmulatorArm;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.model.ArmId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** However many threads send through it, the emulator never serves more than the limit's requests at once. */
class InFlightLimitTest {
    static final Estate ESTATE = Estate.synthetic(2, 8, 0.5, 3).withLatency(Duration.ofMillis(30));

    @Test
    void sixteenThreadsThroughALimitOfThreeKeepAtMostThreeInFlightAndEveryAnswerArrives() throws Exception {
        try (ArmEmulator emulator = ArmEmulator.start(ESTATE, 0)) {
            Arm arm = InFlightLimit.of(EmulatorArm.of(emulator), 3);
            String sub = ArmId.subscription(ESTATE.subscriptions().get(0).subscriptionId()).toString();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> sent = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    int n = i;
                    sent.add(pool.submit(() -> switch (n % 3) {
                        case 0 -> arm.list(ArmOperation.LIST_VMS, ArmOperation.LIST_VMS.path(sub)).size();
                        case 1 -> arm.list(ArmOperation.LIST_VMS, ArmOperation.LIST_VMS.path(sub),
                                (JsonNode vm) -> vm.path("id").asText()).size();
                        default -> arm.get(ArmOperation.GET_RESOURCE_GROUP,
                                ArmOperation.GET_RESOURCE_GROUP.path(sub.substring("/subscriptions/".length()),
                                        "rg-app-0")).path("name").asText().length();
                    }));
                }
                for (Future<Integer> f : sent) {
                    assertThat(f.get()).isPositive();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(emulator.stats().reads()).isEqualTo(48);
            assertThat(emulator.stats().maxInFlight()).isBetween(1, 3);
        }
    }

    @Test
    void aLimitBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InFlightLimit.of(null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits");
    }
}
