package io.jitguard.evaluate;

import static io.jitguard.World.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Mode;
import io.jitguard.model.PortRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCheckTest {
    private final Baseline b = new Baseline(List.of(22, 443), "*", List.of("10.0.0.0/8"), Duration.ofHours(1),
            Mode.ENFORCE, List.of(), "jitguard-exclude");

    @Test
    void gapsCarryTheRuleIndexInBaselinePortOrder() {
        List<PortRule> rules = List.of(rule(443, "TCP", "PT2H", "*"), rule(22, "UDP", "PT30M", "10.1.0.0/16"));
        assertThat(RuleCheck.check(rules, b)).containsExactly(
                RuleCheck.Gap.tighten(443, 0, Duration.ofHours(2), Duration.ofHours(1)),
                RuleCheck.Gap.restrict(443, 0, List.of("*"), List.of("10.0.0.0/8")));
    }

    @Test
    void identicalGapTextsAreReportedOnce() {
        List<PortRule> rules = List.of(rule(22, "TCP", "PT2H", "10.0.0.0/8"), rule(22, "UDP", "PT2H", "10.0.0.0/8"));
        assertThat(RuleCheck.gapTexts(rules, b)).containsExactly(
                "tighten port 22 maxRequestAccessDuration PT2H -> PT1H", "add port 443");
    }

    @Test
    void unknownDurationCountsAsPresentAndIsNotTightened() {
        List<PortRule> rules = List.of(new PortRule(22, "*", null, List.of("10.0.0.0/8")),
                rule(443, "*", "PT1H", "10.0.0.0/8"));
        assertThat(RuleCheck.covers(rules, b)).isTrue();
    }

    @Test
    void anyBaselineSourceNeverRestricts() {
        Baseline any = Baseline.defaults();
        assertThat(RuleCheck.mustRestrict(List.of("*"), any)).isFalse();
        assertThat(RuleCheck.mustRestrict(List.of(" * "), b)).isTrue();
        assertThat(RuleCheck.mustRestrict(List.of("0.0.0.0/0"), b)).as("only * counts as any").isFalse();
    }
}
