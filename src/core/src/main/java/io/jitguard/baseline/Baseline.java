package io.jitguard.baseline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The desired state, parsed and validated once from settings.
 *
 * @param ports          baseline ports every covered VM must have a rule for
 * @param protocol       protocol of the rules jitguard adds ({@code *})
 * @param sourcePrefixes allowed source prefixes of added rules; {@code ["*"]} means any source
 * @param maxDuration    longest maximum request duration a covered rule may have
 * @param mode           enforce or audit
 * @param subscriptions  subscriptions in scope; empty means every subscription the identity can list
 * @param exclusionTag   tag name which, set to {@code true} on a VM or its resource group, excludes it
 * @param exposure       how NSG exposure of management ports is judged
 */
public record Baseline(List<Integer> ports, String protocol, List<String> sourcePrefixes, Duration maxDuration,
                       Mode mode, List<String> subscriptions, String exclusionTag, ExposureSettings exposure) {

    /** With the default exposure settings. */
    public Baseline(List<Integer> ports, String protocol, List<String> sourcePrefixes, Duration maxDuration,
                    Mode mode, List<String> subscriptions, String exclusionTag) {
        this(ports, protocol, sourcePrefixes, maxDuration, mode, subscriptions, exclusionTag,
                ExposureSettings.defaults());
    }

    public static final List<Integer> DEFAULT_PORTS = List.of(22, 3389, 5985, 5986);
    public static final String DEFAULT_PROTOCOL = "*";
    public static final List<String> DEFAULT_SOURCE_PREFIXES = List.of("*");
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(3);
    public static final String DEFAULT_EXCLUSION_TAG = "jitguard-exclude";

    public Baseline {
        ports = List.copyOf(ports);
        sourcePrefixes = List.copyOf(sourcePrefixes);
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(exclusionTag, "exclusionTag");
        exposure = exposure == null ? ExposureSettings.defaults() : exposure;
    }

    /** The baseline with every default and every subscription in scope. */
    public static Baseline defaults() {
        return new Baseline(DEFAULT_PORTS, DEFAULT_PROTOCOL, DEFAULT_SOURCE_PREFIXES, DEFAULT_MAX_DURATION,
                Mode.ENFORCE, List.of(), DEFAULT_EXCLUSION_TAG);
    }

    public boolean anySource() {
        return sourcePrefixes.equals(List.of("*"));
    }


    public boolean inScope(String subscriptionId) {
        return subscriptions.isEmpty() || subscriptions.stream().anyMatch(s -> s.equalsIgnoreCase(subscriptionId));
    }
}
