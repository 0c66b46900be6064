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

    /** What is loose about a port: the typed detail of a {@link Gap}. */
    public sealed interface Detail {
        Kind kind();

        /** In words, for {@code port}. */
        String text(int port);
    }

    /** No rule for the port. */
    public record Missing() implements Detail {
        public Kind kind() {
            return Kind.ADD;
        }

        public String text(int port) {
            return addText(port);
        }
    }

    /** The rule's {@code maxRequestAccessDuration} is longer than the baseline's. */
    public record LongerDuration(Duration from, Duration to) implements Detail {
        public Kind kind() {
            return Kind.TIGHTEN;
        }

        public String text(int port) {
            return tightenText(port, from, to);
        }
    }

    /** The rule allows any source ({@code *}) where the baseline names specific ones. */
    public record AnySource(List<String> from, List<String> to) implements Detail {
        public AnySource {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }

        public Kind kind() {
            return Kind.RESTRICT;
        }

        public String text(int port) {
            return restrictText(port, from, to);
        }
    }

    /**
     * One difference from the baseline.
     *
     * @param port      the baseline port
     * @param ruleIndex index into the checked rule list (-1 for {@link Kind#ADD})
     * @param detail    what is missing or loose, typed
     */
    public record Gap(int port, int ruleIndex, Detail detail) {
        public static Gap add(int port) {
            return new Gap(port, -1, new Missing());
        }

        public static Gap tighten(int port, int ruleIndex, Duration from, Duration to) {
            return new Gap(port, ruleIndex, new LongerDuration(from, to));
        }

        public static Gap restrict(int port, int ruleIndex, List<String> from, List<String> to) {
            return new Gap(port, ruleIndex, new AnySource(from, to));
        }

        public Kind kind() {
            return detail.kind();
        }

        public String text() {
            return detail.text(port);
        }
    }

    /** Every gap of {@code rules} against {@code baseline}, in baseline port order, then rule order. */
    public static List<Gap> check(List<PortRule> rules, Baseline baseline) {
        return check(rules, baseline.ports(), baseline);
    }

    /**
     * Every gap of {@code rules} against {@code ports} (one VM's baseline ports, {@link Baseline#portsFor}) with the
     * baseline's duration and sources, in port order, then rule order.
     */
    public static List<Gap> check(List<PortRule> rules, List<Integer> ports, Baseline baseline) {
        List<Gap> gaps = new ArrayList<>();
        for (int port : ports) {
            boolean present = false;
            for (int i = 0; i < rules.size(); i++) {
                PortRule rule = rules.get(i);
                if (rule.number() != port) {
                    continue;
                }
                present = true;
                if (isLonger(rule.maxRequestAccessDuration(), baseline.maxDuration())) {
                    gaps.add(Gap.tighten(port, i, rule.maxRequestAccessDuration(), baseline.maxDuration()));
                }
                if (mustRestrict(rule.sourcePrefixes(), baseline)) {
                    gaps.add(Gap.restrict(port, i, rule.sourcePrefixes(), baseline.sourcePrefixes()));
                }
            }
            if (!present) {
                gaps.add(Gap.add(port));
            }
        }
        return gaps;
    }

    public static boolean covers(List<PortRule> rules, Baseline baseline) {
        return check(rules, baseline).isEmpty();
    }

    public static boolean covers(List<PortRule> rules, List<Integer> ports, Baseline baseline) {
        return check(rules, ports, baseline).isEmpty();
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
