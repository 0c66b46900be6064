package io.jitguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.baseline.SettingsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings of the composition root. */
class JitguardConfigTest {
    @Test
    void parallelismIsValidated() {
        assertThat(JitguardConfig.parse(Map.of()).parallelism()).isEqualTo(16);
        assertThat(JitguardConfig.parse(Map.of("JITGUARD_PARALLELISM", "64")).parallelism()).isEqualTo(64);
        for (String bad : List.of("0", "65", "-1", "eight", "1.5")) {
            assertThatThrownBy(() -> JitguardConfig.parse(Map.of("JITGUARD_PARALLELISM", bad)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("JITGUARD_PARALLELISM");
        }
    }

    @Test
    void splitThresholdIsValidated() {
        assertThat(JitguardConfig.parse(Map.of()).splitThreshold()).isEqualTo(5000);
        assertThat(JitguardConfig.parse(Map.of("JITGUARD_SPLIT_THRESHOLD", " 250 ")).splitThreshold()).isEqualTo(250);
        for (String bad : List.of("0", "1000001", "-5", "many", "2.5", "12345678")) {
            assertThatThrownBy(() -> JitguardConfig.parse(Map.of("JITGUARD_SPLIT_THRESHOLD", bad)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("JITGUARD_SPLIT_THRESHOLD")
                    .hasMessageContaining("1 to 1000000");
        }
    }
}
