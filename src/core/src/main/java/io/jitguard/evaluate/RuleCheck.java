package io.jitguard.evaluate;

import io.jitguard.baseline.Baseline;
import io.jitguard.model.PortRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that decides whether a VM's port rules meet the baseline. The evaluator turns the gaps into words
 * and a VM state; {@code PolicyMerge} applies the very same gaps to the policy document. A VM is covered when
 * {@link #check} finds nothing.
 *
 * <p>Rules of a baseline port: at least one rule with that number must exist (any protocol: {@code TCP} or
 * {@code UDP} is stricter than {@code *}); every rule with that number must have a duration no longer than the
 * baseline; when the baseline names specific sources, no rule with that number may allow {@code *}. Rules whose
 * duration could not be read ({@code null}) are left alone: they count as present and are neither tightened nor
 * reported (ARM validates durations on every PUT, so such a rule is a format this code does not understand, not a
 * loose rule).
 */
public final class RuleCheck {
    private RuleCheck() {
    }

    public enum Kind { ADD, TIGHTEN, RESTRICT }

    /**
     * One difference from the baseline.
     *
     * @param ruleIndex index into the checked rule list (-1 for {@link Kind#ADD})
     * @param from      the rule's duration (TIGHTEN) or sources (RESTRICT); null for ADD
     * @param to        the baseline's duration or sources; null for ADD
     */
    public record Gap(Kind kind, int port, int ruleIndex, Object from, Object to) {
        public String text() {
            return switch (kind) {
                case ADD -> addText(port);
                case TIGHTEN -> tightenText(port, (Duration) from, (Duration) to);
                case RESTRICT -> restrictText(port, asList(from), asList(to));
            };
        }

        @SuppressWarnings("unchecked")
        private static List<String> asList(Object o) {
            return (List<String>) o;
        }
    }

    /** Every gap of {@code rules} against {@code baseline}, in baseline port order, then rule order. */
    public static List<Gap> check(List<PortRule> rules, Baseline baseline) {
        List<Gap> gaps = new ArrayList<>();
        for (int port : baseline.ports()) {
            boolean present = false;
            for (int i = 0; i < rules.size(); i++) {
                PortRule rule = rules.get(i);
                if (rule.number() != port) {
                    continue;
                }
                present = true;
                if (isLonger(rule.maxRequestAccessDuration(), baseline.maxDuration())) {
                    gaps.add(new Gap(Kind.TIGHTEN, port, i, rule.maxRequestAccessDuration(), baseline.maxDuration()));
                }
                if (mustRestrict(rule.sourcePrefixes(), baseline)) {
                    gaps.add(new Gap(Kind.RESTRICT, port, i, rule.sourcePrefixes(), baseline.sourcePrefixes()));
                }
            }
            if (!present) {
                gaps.add(new Gap(Kind.ADD, port, -1, null, null));
            }
        }
        return gaps;
    }

    public static boolean covers(List<PortRule> rules, Baseline baseline) {
        return check(rules, baseline).isEmpty();
    }

    public static List<String> gapTexts(List<PortRule> rules, Baseline baseline) {
        return check(rules, baseline).stream().map(Gap::text).distinct().toList();
    }

    /** True when {@code duration} is known and longer than {@code max}. */
    public static boolean isLonger(Duration duration, Duration max) {
        return duration != null && duration.compareTo(max) > 0;
    }

    /** True when the baseline names specific sources and {@code sources} allows any ({@code *}). */
    public static boolean mustRestrict(List<String> sources, Baseline baseline) {
        return !baseline.anySource() && allowsAny(sources);
    }

    public static boolean allowsAny(List<String> sources) {
        return sources.stream().anyMatch(s -> s != null && s.trim().equals("*"));
    }

    /** The rule jitguard adds for a baseline port. */
    public static PortRule baselineRule(int port, Baseline baseline) {
        return new PortRule(port, baseline.protocol(), baseline.maxDuration(), baseline.sourcePrefixes());
    }

    public static String addText(int port) {
        return "add port " + port;
    }

    public static String tightenText(int port, Duration from, Duration to) {
        return "tighten port " + port + " maxRequestAccessDuration " + from + " -> " + to;
    }

    public static String restrictText(int port, List<String> from, List<String> to) {
        return "restrict port " + port + " sources " + String.join(",", from) + " -> " + String.join(",", to);
    }
}
