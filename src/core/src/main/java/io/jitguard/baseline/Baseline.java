package io.jitguard.baseline;

import io.jitguard.model.Vm;
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
 * @param exclusions     who may take a VM out of JIT ({@code JITGUARD_EXCLUSIONS}, the exclusion tag), until when
 * @param linuxPorts     baseline ports of VMs whose OS disk is Linux; null = {@code ports}
 * @param windowsPorts   baseline ports of VMs whose OS disk is Windows; null = {@code ports}
 * @param exposure       how NSG exposure of management ports is judged
 */
public record Baseline(List<Integer> ports, String protocol, List<String> sourcePrefixes, Duration maxDuration,
                       Mode mode, List<String> subscriptions, Exclusions exclusions, List<Integer> linuxPorts,
                       List<Integer> windowsPorts, ExposureSettings exposure) {

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
        Objects.requireNonNull(exclusions, "exclusions");
        linuxPorts = linuxPorts == null ? null : List.copyOf(linuxPorts);
        windowsPorts = windowsPorts == null ? null : List.copyOf(windowsPorts);
        exposure = exposure == null ? ExposureSettings.defaults() : exposure;
    }

    /** With the default exposure settings. */
    public Baseline(List<Integer> ports, String protocol, List<String> sourcePrefixes, Duration maxDuration,
                    Mode mode, List<String> subscriptions, Exclusions exclusions, List<Integer> linuxPorts,
                    List<Integer> windowsPorts) {
        this(ports, protocol, sourcePrefixes, maxDuration, mode, subscriptions, exclusions, linuxPorts, windowsPorts,
                ExposureSettings.defaults());
    }

    /** No approved exclusions, tag exclusions off (tag {@code exclusionTag}), the same ports for every OS, the given exposure. */
    public Baseline(List<Integer> ports, String protocol, List<String> sourcePrefixes, Duration maxDuration,
                    Mode mode, List<String> subscriptions, String exclusionTag, ExposureSettings exposure) {
        this(ports, protocol, sourcePrefixes, maxDuration, mode, subscriptions,
                new Exclusions(List.of(), Objects.requireNonNull(exclusionTag, "exclusionTag"), false), null, null,
                exposure);
    }

    /** No approved exclusions, tag exclusions off (tag {@code exclusionTag}), the same ports for every OS. */
    public Baseline(List<Integer> ports, String protocol, List<String> sourcePrefixes, Duration maxDuration,
                    Mode mode, List<String> subscriptions, String exclusionTag) {
        this(ports, protocol, sourcePrefixes, maxDuration, mode, subscriptions,
                new Exclusions(List.of(), Objects.requireNonNull(exclusionTag, "exclusionTag"), false), null, null,
                ExposureSettings.defaults());
    }

    /** The name of the exclusion tag ({@code JITGUARD_EXCLUDE_TAG}). */
    public String exclusionTag() {
        return exclusions.tagName();
    }

    /**
     * The baseline ports of one VM, by its {@code storageProfile.osDisk.osType} as Defender's VM page proposes them
     * (22 for Linux, 3389 for Windows): {@code JITGUARD_PORTS_LINUX} / {@code JITGUARD_PORTS_WINDOWS} when set, else
     * {@code JITGUARD_PORTS} (also for a VM whose OS type is unknown).
     */
    public List<Integer> portsFor(Vm vm) {
        String os = vm == null ? null : vm.osType();
        if ("Linux".equalsIgnoreCase(os) && linuxPorts != null) {
            return linuxPorts;
        }
        if ("Windows".equalsIgnoreCase(os) && windowsPorts != null) {
            return windowsPorts;
        }
        return ports;
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
