package io.jitguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExclusionsTest {
    static final String SUB = "/subscriptions/11111111-1111-1111-1111-111111111111";
    static final String RG = SUB + "/resourceGroups/rg-web";
    static final String VM = RG + "/providers/Microsoft.Compute/virtualMachines/vm-web-1";
    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    static Exclusions approved(String json) {
        return new Exclusions(Exclusions.parseEntries(json), Exclusions.DEFAULT_TAG, true);
    }

    @Test
    void anApprovedEntryAppliesThroughItsLastDayAndIsReportedExpiredAfter() {
        Exclusions e = approved("[{\"scope\":\"" + RG + "\",\"reason\":\"load test\",\"expiresOn\":\"2026-11-25\","
                + "\"approvedBy\":\"ciso@contoso.example\"}]");
        Exclusions.Decision today = e.decide(VM, Map.of(), Map.of(), TODAY).orElseThrow();
        assertThat(today.excluded()).isTrue();
        assertThat(today.describe()).contains("JITGUARD_EXCLUSIONS", RG, "ciso@contoso.example", "until 2026-11-25",
                "load test");
        Exclusions.Decision tomorrow = e.decide(VM, Map.of(), Map.of(), TODAY.plusDays(1)).orElseThrow();
        assertThat(tomorrow.excluded()).isFalse();
        assertThat(tomorrow.describe()).contains("expired 2026-11-25");
        assertThat(e.decide(SUB + "/resourceGroups/rg-web2/providers/Microsoft.Compute/virtualMachines/x", Map.of(),
                Map.of(), TODAY)).as("a prefix of another group's name is not its scope").isEmpty();
    }

    @Test
    void theTagTakesTrueOrALastDay_andCanBeSwitchedOffOrRenamed() {
        Exclusions tags = Exclusions.defaults();
        assertThat(tags.decide(VM, Map.of("JITGUARD-EXCLUDE", "true"), Map.of(), TODAY).orElseThrow().excluded())
                .isTrue();
        assertThat(tags.decide(VM, Map.of(), Map.of("jitguard-exclude", "2026-12-31"), TODAY).orElseThrow())
                .satisfies(d -> {
                    assertThat(d.excluded()).isTrue();
                    assertThat(d.until()).isEqualTo(LocalDate.of(2026, 12, 31));
                    assertThat(d.rule()).contains("resource group");
                });
        assertThat(tags.decide(VM, Map.of("jitguard-exclude", "2026-01-01"), Map.of(), TODAY).orElseThrow()
                .excluded()).isFalse();
        assertThat(tags.decide(VM, Map.of("jitguard-exclude", "yes please"), Map.of(), TODAY)).isEmpty();
        Exclusions off = new Exclusions(List.of(), Exclusions.DEFAULT_TAG, Exclusions.tagsHonoured("off"));
        assertThat(off.decide(VM, Map.of("jitguard-exclude", "true"), Map.of(), TODAY)).isEmpty();
        Exclusions renamed = new Exclusions(List.of(), Exclusions.tagName("no-jit"), true);
        assertThat(renamed.decide(VM, Map.of("jitguard-exclude", "true"), Map.of(), TODAY)).isEmpty();
        assertThat(renamed.decide(VM, Map.of("no-jit", "true"), Map.of(), TODAY)).isPresent();
    }

    @Test
    void badEntriesNameTheSettingAndTheEntry() {
        assertThatThrownBy(() -> Exclusions.parseEntries("{oops"))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("JITGUARD_EXCLUSIONS: is not JSON");
        assertThatThrownBy(() -> Exclusions.parseEntries("[{\"scope\":\"" + VM + "\",\"reason\":\"r\","
                + "\"expiresOn\":\"2026-12-31\"}]")).hasMessageContaining("entry 0 needs a non-empty text \"approvedBy\"");
        assertThatThrownBy(() -> Exclusions.parseEntries("[{\"scope\":\"/subscriptions/nope\",\"reason\":\"r\","
                + "\"expiresOn\":\"2026-12-31\",\"approvedBy\":\"a\"}]")).hasMessageContaining("is not a subscription");
        assertThatThrownBy(() -> Exclusions.parseEntries("[{\"scope\":\"" + VM + "\",\"reason\":\"r\","
                + "\"expiresOn\":\"soon\",\"approvedBy\":\"a\"}]")).hasMessageContaining("expiresOn \"soon\"");
        assertThatThrownBy(() -> Exclusions.parseEntries("[{\"scope\":\"" + VM + "\",\"reason\":\"r\","
                + "\"expiresOn\":\"2026-12-31\",\"approvedBy\":\"a\",\"forever\":true}]"))
                .hasMessageContaining("unknown field \"forever\"");
        assertThatThrownBy(() -> Exclusions.tagsHonoured("maybe")).hasMessageStartingWith("JITGUARD_TAG_EXCLUSIONS");
        assertThatThrownBy(() -> Exclusions.tagName("a/b")).hasMessageStartingWith("JITGUARD_EXCLUDE_TAG");
    }
}
