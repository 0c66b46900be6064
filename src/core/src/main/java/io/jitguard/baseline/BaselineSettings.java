package io.jitguard.baseline;

import io.jitguard.model.ArmId;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates the {@code JITGUARD_*} settings into an immutable {@link Baseline}, once, up front. Blank or
 * absent values mean the default. Every error is a {@link SettingsException} naming the setting and the problem.
 */
public final class BaselineSettings {
    /** Defender accepts maximum request durations from 5 minutes to 1 day. */
    public static final Duration MIN_DURATION = Duration.ofMinutes(5);
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    private static final Pattern GUID = ArmId.GUID;

    private BaselineSettings() {
    }

    public static Baseline parse(Map<String, String> env) {
        List<Integer> ports = ports(value(env, Settings.PORTS));
        List<Integer> linux = value(env, Settings.PORTS_LINUX) == null ? null
                : ports(value(env, Settings.PORTS_LINUX), Settings.PORTS_LINUX);
        List<Integer> windows = value(env, Settings.PORTS_WINDOWS) == null ? null
                : ports(value(env, Settings.PORTS_WINDOWS), Settings.PORTS_WINDOWS);
        List<String> sources = sourcePrefixes(value(env, Settings.SOURCE_PREFIXES));
        Duration duration = maxDuration(value(env, Settings.MAX_DURATION));
        Mode mode = mode(value(env, Settings.MODE));
        List<String> subscriptions = subscriptions(value(env, Settings.SUBSCRIPTIONS));
        return new Baseline(ports, Baseline.DEFAULT_PROTOCOL, sources, duration, mode, subscriptions,
                exclusions(env), linux, windows, exposure(env));
    }

    /**
     * {@value Settings#EXCLUSIONS} (JSON here: the runtime reads a file path and hands its content),
     * {@value Settings#EXCLUDE_TAG}, {@value Settings#TAG_EXCLUSIONS} and {@value Settings#TAG_MAX_DAYS}.
     */
    static Exclusions exclusions(Map<String, String> env) {
        String raw = value(env, Settings.EXCLUSIONS);
        if (raw != null && !looksLikeJson(raw)) {
            throw new SettingsException(Settings.EXCLUSIONS, quote(raw) + " is not JSON (a file path is read by the"
                    + " runtime, not here)");
        }
        return new Exclusions(Exclusions.parseEntries(raw), Exclusions.tagName(value(env, Settings.EXCLUDE_TAG)),
                Exclusions.tagsHonoured(value(env, Settings.TAG_EXCLUSIONS)),
                Exclusions.tagMaxDays(value(env, Settings.TAG_MAX_DAYS)));
    }

    /** A value of {@value Settings#EXCLUSIONS} starting with {@code [} or <code>{</code> is JSON; else a file path. */
    public static boolean looksLikeJson(String raw) {
        String v = raw.strip();
        return v.startsWith("[") || v.startsWith("{");
    }

    /** {@value Settings#EXPOSURE_PREFIX_LENGTH} (0-32) and {@value Settings#JIT_DENY_GRACE} (ISO-8601, PT0S-P7D). */
    static ExposureSettings exposure(Map<String, String> env) {
        String rawLength = value(env, Settings.EXPOSURE_PREFIX_LENGTH);
        int length = ExposureSettings.DEFAULT_PREFIX_LENGTH;
        if (rawLength != null) {
            if (!rawLength.matches("[0-9]{1,2}") || Integer.parseInt(rawLength) > 32) {
                throw new SettingsException(Settings.EXPOSURE_PREFIX_LENGTH, quote(rawLength)
                        + " is not a prefix length from 0 to 32");
            }
            length = Integer.parseInt(rawLength);
        }
        String rawGrace = value(env, Settings.JIT_DENY_GRACE);
        Duration grace = ExposureSettings.DEFAULT_JIT_DENY_GRACE;
        if (rawGrace != null) {
            try {
                grace = Duration.parse(rawGrace);
            } catch (DateTimeParseException e) {
                throw new SettingsException(Settings.JIT_DENY_GRACE,
                        quote(rawGrace) + " is not an ISO-8601 duration such as PT1H or PT30M");
            }
            if (grace.isNegative() || grace.compareTo(Duration.ofDays(7)) > 0) {
                throw new SettingsException(Settings.JIT_DENY_GRACE, quote(rawGrace) + " is outside PT0S to P7D");
            }
        }
        return new ExposureSettings(length, grace);
    }

    public static final int DEFAULT_PARALLELISM = 16;
    public static final int MAX_PARALLELISM = 64;
    public static final int DEFAULT_SPLIT_THRESHOLD = 5000;
    public static final int MAX_SPLIT_THRESHOLD = 1_000_000;

    /** {@value Settings#PARALLELISM}: an integer 1-{@value #MAX_PARALLELISM}; absent or blank = {@value #DEFAULT_PARALLELISM}. */
    public static int parallelism(Map<String, String> env) {
        String raw = value(env, Settings.PARALLELISM);
        if (raw == null) {
            return DEFAULT_PARALLELISM;
        }
        if (!raw.matches("[0-9]{1,3}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_PARALLELISM) {
            throw new SettingsException(Settings.PARALLELISM, quote(raw) + " is not an integer from 1 to "
                    + MAX_PARALLELISM);
        }
        return Integer.parseInt(raw);
    }

    /** {@value Settings#SPLIT_THRESHOLD}: VMs above which the nightly plan splits a subscription; default 5000. */
    public static int splitThreshold(Map<String, String> env) {
        String raw = value(env, Settings.SPLIT_THRESHOLD);
        if (raw == null) {
            return DEFAULT_SPLIT_THRESHOLD;
        }
        if (!raw.matches("[0-9]{1,7}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_SPLIT_THRESHOLD) {
            throw new SettingsException(Settings.SPLIT_THRESHOLD, quote(raw) + " is not an integer from 1 to "
                    + MAX_SPLIT_THRESHOLD);
        }
        return Integer.parseInt(raw);
    }

    private static String value(Map<String, String> env, String name) {
        String v = env == null ? null : env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static List<Integer> ports(String raw) {
        return raw == null ? Baseline.DEFAULT_PORTS : ports(raw, Settings.PORTS);
    }

    static List<Integer> ports(String raw, String setting) {
        String bad = quote(raw) + " is not a list of port numbers 0-65535";
        List<Integer> ports = new ArrayList<>();
        for (String item : items(raw)) {
            if (item.isEmpty()) {
                throw new SettingsException(setting, bad + " (empty item)");
            }
            if (!item.matches("[0-9]{1,5}")) {
                throw new SettingsException(setting, bad);
            }
            int port = Integer.parseInt(item);
            if (port > 65535) {
                throw new SettingsException(setting, bad + " (" + port + " is out of range)");
            }
            if (ports.contains(port)) {
                throw new SettingsException(setting, quote(raw) + " lists port " + port + " twice");
            }
            ports.add(port);
        }
        return List.copyOf(ports);
    }

    static List<String> sourcePrefixes(String raw) {
        if (raw == null) {
            return Baseline.DEFAULT_SOURCE_PREFIXES;
        }
        List<String> prefixes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String item : items(raw)) {
            if (item.isEmpty()) {
                throw new SettingsException(Settings.SOURCE_PREFIXES, quote(raw) + " has an empty item");
            }
            if (!item.equals("*") && !IpPrefixes.isAddressOrCidr(item)) {
                throw new SettingsException(Settings.SOURCE_PREFIXES, quote(raw) + ": " + quote(item)
                        + " is neither * nor an IPv4/IPv6 address or CIDR");
            }
            if (!seen.add(item.toLowerCase(Locale.ROOT))) {
                throw new SettingsException(Settings.SOURCE_PREFIXES, quote(raw) + " lists " + quote(item) + " twice");
            }
            prefixes.add(item);
        }
        if (prefixes.contains("*") && prefixes.size() > 1) {
            throw new SettingsException(Settings.SOURCE_PREFIXES, quote(raw) + ": * (any source) must stand alone");
        }
        return List.copyOf(prefixes);
    }

    static Duration maxDuration(String raw) {
        if (raw == null) {
            return Baseline.DEFAULT_MAX_DURATION;
        }
        Duration d;
        try {
            d = Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw new SettingsException(Settings.MAX_DURATION,
                    quote(raw) + " is not an ISO-8601 duration such as PT3H or P1D");
        }
        if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(MAX_DURATION) > 0) {
            throw new SettingsException(Settings.MAX_DURATION,
                    quote(raw) + " is outside what Defender accepts (PT5M to P1D)");
        }
        return d;
    }

    static Mode mode(String raw) {
        if (raw == null) {
            return Mode.ENFORCE;
        }
        for (Mode m : Mode.values()) {
            if (m.label().equalsIgnoreCase(raw)) {
                return m;
            }
        }
        throw new SettingsException(Settings.MODE, quote(raw) + " is neither enforce nor audit");
    }

    static List<String> subscriptions(String raw) {
        if (raw == null) {
            return List.of();
        }
        List<String> subs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String item : items(raw)) {
            if (item.isEmpty()) {
                throw new SettingsException(Settings.SUBSCRIPTIONS, quote(raw) + " has an empty item");
            }
            if (!GUID.matcher(item).matches()) {
                throw new SettingsException(Settings.SUBSCRIPTIONS,
                        quote(raw) + ": " + quote(item) + " is not a subscription id (GUID)");
            }
            if (!seen.add(item.toLowerCase(Locale.ROOT))) {
                throw new SettingsException(Settings.SUBSCRIPTIONS, quote(raw) + " lists " + quote(item) + " twice");
            }
            subs.add(item);
        }
        return List.copyOf(subs);
    }

    private static List<String> items(String raw) {
        List<String> out = new ArrayList<>();
        for (String s : raw.split(",", -1)) {
            out.add(s.trim());
        }
        return out;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
