package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathEncodingTest {
    @Test
    void encodesUnicodeParenthesesAndSpacesButNotTheSeparators() {
        assertThat(SdkArm.encodePath("/subscriptions/s/resourceGroups/rg-(prod)-é/x y"))
                .isEqualTo("/subscriptions/s/resourceGroups/rg-%28prod%29-%C3%A9/x%20y");
        assertThat(SdkArm.encodePath("/subscriptions/s/resourceGroups/rg_1.a~b")).isEqualTo("/subscriptions/s/resourceGroups/rg_1.a~b");
        assertThat(SdkArm.encodePath("/a/100%+")).isEqualTo("/a/100%25%2B");
    }
}
