package io.jitguard.cli;

import io.jitguard.report.MonitoringStatus;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.report.SubscriptionReport;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CLI's exit codes, one table for every run command (also in {@code --help} and docs/user-guide.md).
 *
 * <pre>
 * 0  clean: every in-scope VM and monitoring effect is compliant or was fixed (excluded, unsupported don't count)
 * 1  findings a person should act on remain (the statuses of --fail-on; default would-fix, failed, blocked, exposed,
 *    missing: a subscription without its SecurityCenterBuiltIn assignment)
 * 2  usage or input error: nothing was read or written
 * 3  the run could not finish: authentication, connection, an unreadable subscription or scope, a scope that does
 *    not exist, the time budget spent
 * </pre>
 */
public final class ExitCodes {
    public static final int COMPLIANT = 0;
    public static final int FINDINGS_REMAIN = 1;
    public static final int USAGE = 2;
    public static final int INCOMPLETE = 3;
    /** An unexpected error inside jitguard: the run did not finish. */
    static final int FAILED_INTERNAL = INCOMPLETE;

    /** The statuses that make a run exit 1 unless {@code --fail-on} says otherwise. */
    static final List<String> DEFAULT_FAIL_ON = List.of("would-fix", "failed", "blocked", "exposed", "missing");

    static final String TABLE = """
            Exit codes:
              0  clean: everything in scope is compliant or was fixed (excluded and unsupported don't count)
              1  findings remain that a person should act on (statuses of --fail-on)
              2  usage or input error; nothing was read or written
              3  the run could not finish: authentication, connection, an unreadable subscription or scope,
                 a scope that does not exist, or the time budget spent""";

    /** The footer of every run command's help: settings, exit codes. */
    static final String SETTINGS = """
            Settings (environment):
              JITGUARD_MODE             enforce | audit (audit never writes)
              JITGUARD_SUBSCRIPTIONS    subscription ids in scope (comma-separated; default: every one listed)
              JITGUARD_PORTS            ports every VM gets (default 22,3389,5985,5986)
              JITGUARD_PORTS_LINUX, JITGUARD_PORTS_WINDOWS  ports by OS type (default JITGUARD_PORTS)
              JITGUARD_SOURCE_PREFIXES  allowed source addresses (default *)
              JITGUARD_MAX_DURATION     longest request (ISO-8601, default PT3H)
              JITGUARD_EXPOSURE_PREFIX_LENGTH  no longer used: any public source is exposure (still checked 0-32)
              JITGUARD_JIT_DENY_GRACE   time Defender has to add its NSG deny rules (ISO-8601, default PT1H)
              JITGUARD_ARM_ENDPOINT     ARM endpoint (default https://management.azure.com/)
              JITGUARD_EXCLUSIONS       approved exclusions: JSON, or the path of a JSON file
              JITGUARD_EXCLUDE_TAG      the exclusion tag on a VM or resource group (default jitguard-exclude)
              JITGUARD_TAG_EXCLUSIONS   on honours that tag with a last day; off refuses and reports it (default off)
              JITGUARD_TAG_MAX_DAYS     how many days ahead a tag's last day may lie (1-366, default 30)
              JITGUARD_PARALLELISM      ARM requests in flight (1-64, default 16)
              JITGUARD_ARM_TOKEN        a bearer token instead of az login / managed identity (emulator)
              JITGUARD_ARM_CA_FILE      extra CA certificates (PEM) trusted for ARM beside the JVM's own
              AzureWebJobsStorage       the function app's storage: share its policy locks (blob leases)
            """;

    /** The help footer of the tools that read no setting and end 0 or 1 (emulator, demo, bench). */
    static final String TOOL_EXIT_CODES = """
            Exit codes:
              0  done (the emulator: stopped with Ctrl-C)
              1  it failed; the reason is on stderr
              2  a bad option or estate file""";

    private ExitCodes() {
    }

    /** Every status label a report can carry (VM and monitoring), plus the defaults not yet in the enums. */
    static Set<String> knownStatuses() {
        Set<String> known = new TreeSet<>();
        for (VmStatus s : VmStatus.values()) {
            known.add(s.label());
        }
        for (MonitoringStatus s : MonitoringStatus.values()) {
            known.add(s.label());
        }
        return known;
    }

    /** Parses {@code --fail-on}: every name must be a status label; throws {@link InputException} otherwise. */
    static Set<String> failOn(List<String> names) {
        if (names == null || names.isEmpty()) {
            return new LinkedHashSet<>(DEFAULT_FAIL_ON);
        }
        Set<String> known = knownStatuses();
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : names) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (!known.contains(n)) {
                throw new InputException("--fail-on " + name + " is not a status (expected some of "
                        + String.join(", ", known) + ")");
            }
            chosen.add(n);
        }
        return chosen;
    }

    /**
     * The one outcome switch of the CLI: the exit code of one scope. Refused input (a bad scope, setting or option,
     * a scope outside {@code JITGUARD_SUBSCRIPTIONS}) is 2; a scope that does not exist or is to be tried again is 3;
     * otherwise what the report holds ({@link #findings}).
     *
     * @param report the run's report; null when the scope was refused before the run
     */
    static int of(ScopeOutcome outcome, Report report, Set<String> failOn) {
        return switch (outcome.kind()) {
            case REJECTED, OUT_OF_SCOPE -> USAGE;
            case NOT_FOUND, REQUEUE -> INCOMPLETE;
            case CONVERGED, TERMINAL -> findings(report, failOn);
        };
    }

    /** The run's exit code: the gravest of its scopes' ({@link #of(ScopeOutcome, Report, Set)}). */
    static int of(Report report, Map<String, ScopeOutcome> outcomes, Set<String> failOn) {
        int code = outcomes.isEmpty() ? findings(report, failOn) : COMPLIANT;
        for (ScopeOutcome outcome : outcomes.values()) {
            int scope = of(outcome, report, failOn);
            code = GRAVITY.indexOf(scope) > GRAVITY.indexOf(code) ? scope : code;
        }
        return code;
    }

    /** Exit codes from the least to the gravest: input errors stop a run before anything else is known. */
    private static final List<Integer> GRAVITY = List.of(COMPLIANT, FINDINGS_REMAIN, INCOMPLETE, USAGE);

    /**
     * What a report that finished its scope says: 3 when some part of the run could not be done (a terminal failure
     * reading a scope, the time budget spent), 1 when a status of {@code failOn} remains, else 0.
     */
    static int findings(Report report, Set<String> failOn) {
        if (report.totals().incomplete()) {
            return INCOMPLETE;
        }
        for (VmReport vm : report.vms()) {
            if (failOn.contains(vm.status().label())) {
                return FINDINGS_REMAIN;
            }
        }
        for (SubscriptionReport s : report.subscriptions()) {
            if (s.monitoringEffect() != null && failOn.contains(s.monitoringEffect().status().label())) {
                return FINDINGS_REMAIN;
            }
        }
        if (!report.failures().isEmpty() && failOn.contains(VmStatus.FAILED.label())) {
            return FINDINGS_REMAIN;
        }
        return COMPLIANT;
    }
}
