package io.jitguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BaselineSettingsTest {
    private static final String G1 = "11111111-2222-3333-4444-555555555555";
    private static final String G2 = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    @Test
    void emptyEnvironmentGivesDefaults() {
        assertThat(BaselineSettings.parse(Map.of())).isEqualTo(Baseline.defaults());
    }

    @Test
    void blankValuesMeanDefault() {
        Map<String, String> env = Map.of(Settings.PORTS, " ", Settings.SOURCE_PREFIXES, "", Settings.MAX_DURATION,
                "  ", Settings.MODE, "", Settings.SUBSCRIPTIONS, " ");
        assertThat(BaselineSettings.parse(env)).isEqualTo(Baseline.defaults());
    }

    @Test
    void everySettingParsed() {
        Baseline b = BaselineSettings.parse(Map.of(Settings.PORTS, " 22 , 443,0,65535", Settings.SOURCE_PREFIXES,
                "10.0.0.0/8, 192.168.1.5 ,2001:db8::/32,::1,fe80::1:2:3.4.5.6", Settings.MAX_DURATION, "PT1H30M",
                Settings.MODE, "AUDIT", Settings.SUBSCRIPTIONS, G1 + " , " + G2));
        assertThat(b.ports()).containsExactly(22, 443, 0, 65535);
        assertThat(b.protocol()).isEqualTo("*");
        assertThat(b.sourcePrefixes()).containsExactly("10.0.0.0/8", "192.168.1.5", "2001:db8::/32", "::1",
                "fe80::1:2:3.4.5.6");
        assertThat(b.anySource()).isFalse();
        assertThat(b.maxDuration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(b.mode()).isEqualTo(Mode.AUDIT);
        assertThat(b.subscriptions()).containsExactly(G1, G2);
        assertThat(b.exclusionTag()).isEqualTo("jitguard-exclude");
    }

    @ParameterizedTest
    @CsvSource({"P1D,PT24H", "PT5M,PT5M", "pt3h,PT3H", "PT24H,PT24H"})
    void durationsFromFiveMinutesToOneDay(String raw, String expected) {
        assertThat(BaselineSettings.parse(Map.of(Settings.MAX_DURATION, raw)).maxDuration())
                .isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"enforce", "ENFORCE", "Enforce"})
    void modeIsCaseInsensitive(String raw) {
        assertThat(BaselineSettings.parse(Map.of(Settings.MODE, raw)).mode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void starAloneIsAnySource() {
        assertThat(BaselineSettings.parse(Map.of(Settings.SOURCE_PREFIXES, " * ")).anySource()).isTrue();
    }

    @Test
    void portsNotNumbers() {
        assertThatThrownBy(() -> BaselineSettings.parse(Map.of(Settings.PORTS, "22,abc")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("JITGUARD_PORTS: \"22,abc\" is not a list of port numbers 0-65535")
                .extracting(e -> ((SettingsException) e).setting()).isEqualTo(Settings.PORTS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "22,,3389|empty item",
            "22,|empty item",
            "65536|65536 is out of range",
            "-1|is not a list of port numbers",
            "22,22|lists port 22 twice",
            "2 2|is not a list of port numbers",
            "99999999999|is not a list of port numbers"})
    void badPorts(String raw, String problem) {
        assertError(Settings.PORTS, raw, problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*,10.0.0.0/8|* (any source) must stand alone",
            "Internet|\"Internet\" is neither * nor an IPv4/IPv6 address or CIDR",
            "10.0.0.0/33|is neither",
            "300.1.1.1|is neither",
            "10.0.0|is neither",
            "2001:db8:::1|is neither",
            "1:2:3:4:5:6:7:8:9|is neither",
            "::1/129|is neither",
            "10.0.0.0/8,,1.2.3.4|empty item",
            "10.0.0.0/8,10.0.0.0/8|twice"})
    void badSourcePrefixes(String raw, String problem) {
        assertError(Settings.SOURCE_PREFIXES, raw, problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "3h|is not an ISO-8601 duration",
            "PT4M|outside what Defender accepts (PT5M to P1D)",
            "PT24H1S|outside",
            "P2D|outside",
            "-PT3H|outside",
            "P1M|is not an ISO-8601 duration"})
    void badDurations(String raw, String problem) {
        assertError(Settings.MAX_DURATION, raw, problem);
    }

    @Test
    void badMode() {
        assertError(Settings.MODE, "dry-run", "\"dry-run\" is neither enforce nor audit");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not-a-guid|\"not-a-guid\" is not a subscription id (GUID)",
            G1 + ",|empty item",
            G1 + "," + G1 + "|twice"})
    void badSubscriptions(String raw, String problem) {
        assertError(Settings.SUBSCRIPTIONS, raw, problem);
    }

    @Test
    void subscriptionDuplicateIgnoresCase() {
        assertError(Settings.SUBSCRIPTIONS, G2 + "," + G2.toUpperCase(), "twice");
    }

    @Test
    void defaultsMatchTheBrief() {
        Baseline b = Baseline.defaults();
        assertThat(b.ports()).isEqualTo(List.of(22, 3389, 5985, 5986));
        assertThat(b.maxDuration()).isEqualTo(Duration.ofHours(3));
        assertThat(b.subscriptions()).isEmpty();
    }

    private static void assertError(String setting, String raw, String problem) {
        assertThatThrownBy(() -> BaselineSettings.parse(Map.of(setting, raw)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(setting + ": ")
                .hasMessageContaining(problem)
                .extracting(e -> ((SettingsException) e).setting()).isEqualTo(setting);
    }

    @Test
    void exposureSettingsHaveDefaultsAndAreParsed() {
        assertThat(BaselineSettings.parse(Map.of()).exposure()).isEqualTo(
                new ExposureSettings(8, Duration.ofHours(1)));
        ExposureSettings e = BaselineSettings.parse(Map.of(Settings.EXPOSURE_PREFIX_LENGTH, "0",
                Settings.JIT_DENY_GRACE, "PT30M")).exposure();
        assertThat(e.widestPrefixLength()).isZero();
        assertThat(e.jitDenyGrace()).isEqualTo(Duration.ofMinutes(30));
        assertThat(BaselineSettings.parse(Map.of(Settings.EXPOSURE_PREFIX_LENGTH, "32")).exposure()
                .widestPrefixLength()).isEqualTo(32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"33", "-1", "8.5", "/8", "eight", "100"})
    void aBadExposurePrefixLengthIsNamed(String raw) {
        assertThatThrownBy(() -> BaselineSettings.parse(Map.of(Settings.EXPOSURE_PREFIX_LENGTH, raw)))
                .isInstanceOf(SettingsException.class).hasMessageContaining(raw).hasMessageContaining("0 to 32")
                .extracting(x -> ((SettingsException) x).setting()).isEqualTo(Settings.EXPOSURE_PREFIX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h", "PT-1H", "P8D", "soon"})
    void aBadJitDenyGraceIsNamed(String raw) {
        assertThatThrownBy(() -> BaselineSettings.parse(Map.of(Settings.JIT_DENY_GRACE, raw)))
                .isInstanceOf(SettingsException.class).hasMessageContaining(raw)
                .extracting(x -> ((SettingsException) x).setting()).isEqualTo(Settings.JIT_DENY_GRACE);
    }
}
