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
    void tagsAreOffByDefault_aTaggedVmIsEnforcedAndTheTagReportedAsRefused() {
        Exclusions defaults = BaselineSettings.parse(Map.of()).exclusions();
        assertThat(defaults.tagsHonoured()).isFalse();
        assertThat(Exclusions.defaults().tagsHonoured()).isFalse();
        Exclusions.Decision d = defaults.decide(VM, Map.of("jitguard-exclude", "2026-12-01"), Map.of(), TODAY)
                .orElseThrow();
        assertThat(d.excluded()).isFalse();
        assertThat(d.refused()).isTrue();
        assertThat(d.tagValue()).isEqualTo("2026-12-01");
        assertThat(d.refusal()).contains("JITGUARD_TAG_EXCLUSIONS", "JITGUARD_EXCLUSIONS");
    }

    @Test
    void withTagsOnATagNeedsALastDayWithinTheMaximum() {
        Exclusions tags = new Exclusions(List.of(), Exclusions.DEFAULT_TAG, Exclusions.tagsHonoured("on"),
                Exclusions.tagMaxDays(null));
        assertThat(tags.tagMaxDays()).isEqualTo(30);
        Exclusions.Decision inReach = tags.decide(VM, Map.of("JITGUARD-EXCLUDE", "2026-12-25"), Map.of(), TODAY)
                .orElseThrow();
        assertThat(inReach.excluded()).as("30 days ahead is the last day allowed").isTrue();
        assertThat(inReach.tagValue()).isEqualTo("2026-12-25");
        assertThat(tags.decide(VM, Map.of(), Map.of("jitguard-exclude", "2026-12-20"), TODAY).orElseThrow())
                .satisfies(g -> {
                    assertThat(g.excluded()).isTrue();
                    assertThat(g.until()).isEqualTo(LocalDate.of(2026, 12, 20));
                    assertThat(g.rule()).contains("resource group");
                });
        Exclusions.Decision tooFar = tags.decide(VM, Map.of("jitguard-exclude", "2026-12-26"), Map.of(), TODAY)
                .orElseThrow();
        assertThat(tooFar.excluded()).isFalse();
        assertThat(tooFar.refusal()).contains("more than 30 days ahead", "2026-12-25", "JITGUARD_TAG_MAX_DAYS");
        assertThat(tags.decide(VM, Map.of("jitguard-exclude", "9999-12-31"), Map.of(), TODAY).orElseThrow().refused())
                .isTrue();
        Exclusions.Decision forever = tags.decide(VM, Map.of("jitguard-exclude", "true"), Map.of(), TODAY)
                .orElseThrow();
        assertThat(forever.excluded()).isFalse();
        assertThat(forever.refused()).isTrue();
        assertThat(forever.tagValue()).isEqualTo("true");
        assertThat(forever.describe()).contains("exclusion refused", "\"true\"", "last day");
        assertThat(tags.decide(VM, Map.of("jitguard-exclude", "yes please"), Map.of(), TODAY).orElseThrow()
                .refused()).isTrue();
        Exclusions.Decision expired = tags.decide(VM, Map.of("jitguard-exclude", "2026-01-01"), Map.of(), TODAY)
                .orElseThrow();
        assertThat(expired.excluded()).isFalse();
        assertThat(expired.refused()).isFalse();
        assertThat(new Exclusions(List.of(), Exclusions.DEFAULT_TAG, true, 7)
                .decide(VM, Map.of("jitguard-exclude", "2026-12-03"), Map.of(), TODAY).orElseThrow().refused())
                .as("JITGUARD_TAG_MAX_DAYS=7").isTrue();
    }

    @Test
    void aRefusedTagDoesNotHideAnApprovedExclusion_andARenamedTagIsTheOneRead() {
        Exclusions both = new Exclusions(Exclusions.parseEntries("[{\"scope\":\"" + RG + "\",\"reason\":\"r\","
                + "\"expiresOn\":\"2026-12-31\",\"approvedBy\":\"a\"}]"), Exclusions.DEFAULT_TAG, true);
        assertThat(both.decide(VM, Map.of("jitguard-exclude", "true"), Map.of(), TODAY).orElseThrow().excluded())
                .isTrue();
        Exclusions renamed = new Exclusions(List.of(), Exclusions.tagName("no-jit"), true);
        assertThat(renamed.decide(VM, Map.of("jitguard-exclude", "2026-12-01"), Map.of(), TODAY)).isEmpty();
        assertThat(renamed.decide(VM, Map.of("no-jit", "2026-12-01"), Map.of(), TODAY).orElseThrow().excluded())
                .isTrue();
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
        for (String bad : List.of("0", "-1", "30d", "367", "1e3")) {
            assertThatThrownBy(() -> BaselineSettings.parse(Map.of("JITGUARD_TAG_MAX_DAYS", bad)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("JITGUARD_TAG_MAX_DAYS: \"" + bad + "\" is not a number of days");
        }
        assertThat(BaselineSettings.parse(Map.of("JITGUARD_TAG_MAX_DAYS", " 7 ")).exclusions().tagMaxDays()).isEqualTo(7);
    }
}
