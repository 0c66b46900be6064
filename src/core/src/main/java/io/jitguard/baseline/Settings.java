package io.jitguard.baseline;

import java.util.List;

/** Names of the settings jitguard reads from the environment; the same names are the function app's app settings. */
public final class Settings {
    public static final String PORTS = "JITGUARD_PORTS";
    public static final String SOURCE_PREFIXES = "JITGUARD_SOURCE_PREFIXES";
    public static final String MAX_DURATION = "JITGUARD_MAX_DURATION";
    public static final String MODE = "JITGUARD_MODE";
    public static final String SUBSCRIPTIONS = "JITGUARD_SUBSCRIPTIONS";
    public static final String ARM_ENDPOINT = "JITGUARD_ARM_ENDPOINT";
    /** A static bearer token for emulators and pre-issued tokens; never set by infra. */
    public static final String ARM_TOKEN = "JITGUARD_ARM_TOKEN";
    /** A PEM file of extra CA certificates trusted for ARM, beside the JVM's own (e.g. the emulator's). */
    public static final String ARM_CA_FILE = "JITGUARD_ARM_CA_FILE";
    /** Approved exclusions: a JSON array of {scope, reason, expiresOn, approvedBy}, or the path of a file holding it. */
    public static final String EXCLUSIONS = "JITGUARD_EXCLUSIONS";
    /** The tag that takes a VM or resource group out of JIT ({@code true} or a last day); default jitguard-exclude. */
    public static final String EXCLUDE_TAG = "JITGUARD_EXCLUDE_TAG";
    /** {@code on} honours the exclusion tag (with a last day); default {@code off}: tags are refused and reported. */
    public static final String TAG_EXCLUSIONS = "JITGUARD_TAG_EXCLUSIONS";
    /** How far ahead (days) an exclusion tag's last day may lie; 1-366, default 30. */
    public static final String TAG_MAX_DAYS = "JITGUARD_TAG_MAX_DAYS";
    /** Baseline ports for VMs whose {@code storageProfile.osDisk.osType} is Linux / Windows; default JITGUARD_PORTS. */
    public static final String PORTS_LINUX = "JITGUARD_PORTS_LINUX";
    public static final String PORTS_WINDOWS = "JITGUARD_PORTS_WINDOWS";
    /** How many ARM reads/writes one run keeps in flight (scopes read, policies written concurrently); 1-64, default 16. */
    public static final String PARALLELISM = "JITGUARD_PARALLELISM";
    /** A public source prefix this wide or wider counts as the Internet in exposure checks; 0-32, default 8. */
    public static final String EXPOSURE_PREFIX_LENGTH = "JITGUARD_EXPOSURE_PREFIX_LENGTH";
    /** How long after a JIT policy write Defender may take to add its NSG deny rules; ISO-8601, default PT1H. */
    public static final String JIT_DENY_GRACE = "JITGUARD_JIT_DENY_GRACE";
    public static final String SWEEP_SCHEDULE = "JITGUARD_SWEEP_SCHEDULE";
    /**
     * The nightly sweep splits a subscription holding more VMs than this (Resource Graph's count) into one work item
     * per resource group plus a remainder; 1-1000000, default 5000.
     */
    public static final String SPLIT_THRESHOLD = "JITGUARD_SPLIT_THRESHOLD";
    /**
     * {@code true} when App Service Authentication fronts the HTTP functions (infra sets it): a call without the
     * platform's validated principal is refused (401), and app roles decide who may fix and who may read.
     */
    public static final String REQUIRE_PRINCIPAL = "JITGUARD_REQUIRE_PRINCIPAL";
    /** Storage for the sweep queue and the per-policy blob leases. */
    public static final String STORAGE = "AzureWebJobsStorage";

    /**
     * Settings the deployed function app must carry (infra sets each of them from a parameter, so a redeploy never
     * drops what an operator set, an exclusion least of all).
     */
    public static final List<String> APP_SETTINGS = List.of(
            PORTS, SOURCE_PREFIXES, MAX_DURATION, MODE, SUBSCRIPTIONS, ARM_ENDPOINT, SWEEP_SCHEDULE, STORAGE,
            PORTS_LINUX, PORTS_WINDOWS, EXCLUSIONS, TAG_EXCLUSIONS, EXCLUDE_TAG, TAG_MAX_DAYS, JIT_DENY_GRACE,
            EXPOSURE_PREFIX_LENGTH, PARALLELISM, REQUIRE_PRINCIPAL);

    /** Settings that exist for laptops and emulators only and must never be deployed. */
    public static final List<String> LOCAL_ONLY = List.of(ARM_TOKEN);

    private Settings() {
    }
}
