package io.jitguard.cli;

import com.fasterxml.jackson.databind.annotation.JsonAppend;
import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmException;
import io.jitguard.azure.ArmOptions;
import io.jitguard.baseline.Mode;
import io.jitguard.baseline.SettingsException;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.RunOptions;
import io.jitguard.report.Failure;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.ReportText;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.engine.Refusals;
import io.jitguard.runtime.Jitguard;
import io.jitguard.runtime.JitguardConfig;
import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.Scope;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What sweep, fix and handle-event share: validate all input first (settings, scopes, report path, --fail-on), then
 * run the pipeline once, print the summary, always write the report when asked (also when the run could not finish),
 * and map the outcome to an exit code ({@link ExitCodes}).
 */
abstract class RunCommand implements Callable<Integer>, EnvironmentAware {
    static final String LOCKS_SHARED = "blob-lease";
    static final String LOCKS_IN_PROCESS = "in-process";

    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "Plan and report; write nothing.")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE|-",
            description = "Write the JSON report to FILE (also when the run could not finish); - writes it to stdout"
                    + " and the summary to stderr.")
    String reportFile;

    @Option(names = "--fail-on", split = ",", paramLabel = "STATUS",
            description = "Statuses that make the exit code 1 (default: would-fix,failed,blocked,exposed,missing). Any VM or"
                    + " monitoring status: compliant, fixed, would-fix, unsupported, excluded, blocked, failed,"
                    + " missing, not-in-scope.")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    @Option(names = "--verbose", description = "Log every ARM call on stderr: method, path, status, ms (never headers).")
    boolean verbose;

    @Mixin
    OutputOptions output = new OutputOptions();

    private Map<String, String> env = Map.of();

    private java.time.Clock clock = java.time.Clock.systemUTC();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void clock(java.time.Clock given) {
        this.clock = given;
    }

    /** The scopes to reconcile; throws {@link InputException} (or an invalid-scope exception) on bad input. */
    protected abstract List<Scope> scopes(Jitguard jitguard);

    protected abstract String trigger();

    /** The run's options; an event-driven command adds when each scope drifted ({@link RunOptions#driftStarts()}). */
    protected RunOptions options(RunOptions options) {
        return options;
    }

    /** Called when the input held nothing to reconcile (e.g. only ignored events). */
    protected String nothingToDo() {
        return "nothing to reconcile";
    }

    @Override
    public Integer call() {
        Set<String> failOnStatuses;
        JitguardConfig config;
        try {
            checkReportFile();
            failOnStatuses = ExitCodes.failOn(failOn);
            output.validate();
            config = JitguardConfig.parse(env);
        } catch (SettingsException e) {
            return refused(Refusals.of(e));
        } catch (InputException e) {
            return refused(ScopeOutcome.Rejected.input(e.getMessage()));
        }
        boolean toStdout = "-".equals(reportFile);
        PrintWriter summary = toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, !quiet && System.console() != null, verbose);
        String locks = config.storage().shared() ? LOCKS_SHARED : LOCKS_IN_PROCESS;
        Instant startedAt = Instant.now();
        Jitguard jitguard = Jitguard.builder(config)
                .arm(progress.arm(config.arm().connect(ArmOptions.DEFAULT, new SignInOnce(config.arm().credential()))))
                .inventory(progress::inventory)
                .clock(clock)
                .build();
        List<Scope> scopes;
        try {
            scopes = scopes(jitguard);
            scopes.forEach(jitguard::requireInScope);
        } catch (InvalidScopeException | OutOfScopeException e) {
            return refused(Refusals.of(e));
        } catch (InputException e) {
            return refused(ScopeOutcome.Rejected.input(e.getMessage()));
        } catch (ArmException e) {
            // e.g. listing the subscriptions failed: nothing could be read, but the report still says why
            Report report = new Report(config.baseline().mode().label(), dryRun, trigger(), startedAt, Instant.now(),
                    List.of("/subscriptions"), List.of(), List.of(), List.of(), List.of(),
                    List.of(new Failure("/subscriptions", e.status(), e.code(), e.getMessage(), e.isTransient(),
                            e.retryAfter().map(java.time.Duration::toSeconds).orElse(null))),
                    new ArmCalls(0, 0));
            emit(report, summary, locks);
            output.write(report, config.baseline(), err);
            return ExitCodes.of(ScopeOutcomes.failed(report.failures()), report, failOnStatuses);
        }
        if (scopes.isEmpty()) {
            summary.println(nothingToDo());
            summary.flush();
            return ExitCodes.COMPLIANT;
        }
        boolean writes = !dryRun && config.baseline().mode() == Mode.ENFORCE;
        if (writes && !config.storage().shared()) {
            err.println("jitguard: policy locks are in-process only (no AzureWebJobsStorage set): a function app or"
                    + " another CLI writing the same JIT policies is not kept out; see docs/user-guide.md \"Sharing locks\".");
            err.flush();
        }
        progress.expect(scopes.size());
        Report report = jitguard.reconcile(scopes, options(new RunOptions(dryRun, trigger())));
        emit(report, summary, locks);
        output.write(report, config.baseline(), err);
        return ExitCodes.of(report, ScopeOutcomes.of(report, scopes), failOnStatuses);
    }

    private void emit(Report report, PrintWriter summary, String locks) {
        summary.print(ReportText.summary(report));
        summary.flush();
        Diagnosis.of(report).ifPresent(hint -> {
            spec.commandLine().getErr().println(hint);
            spec.commandLine().getErr().flush();
        });
        writeReport(report, locks);
    }

    protected Map<String, String> env() {
        return env;
    }

    /** Input refused before anything was read: says why, and exits as the outcome says (2). */
    private int refused(ScopeOutcome outcome) {
        spec.commandLine().getErr().println("jitguard: " + io.jitguard.report.SafeText.oneLine(outcome.reason()));
        return ExitCodes.of(outcome, null, Set.of());
    }

    private void checkReportFile() {
        if (reportFile == null || "-".equals(reportFile)) {
            return;
        }
        Path file = Path.of(reportFile);
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InputException("--report " + reportFile + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new InputException("--report " + reportFile + " is a directory");
        }
    }

    /** The report JSON with how policy writes were locked ({@code locks}: {@code blob-lease} or {@code in-process}). */
    static String json(Report report, String locks) {
        return io.jitguard.output.StreamedText.text(out -> json(report, locks, out));
    }

    /** {@link #json(Report, String)} written to {@code out} as it is serialised; {@code out} is flushed, not closed. */
    static void json(Report report, String locks, java.io.OutputStream out) throws IOException {
        WITH_LOCKS.withAttribute(LOCKS, locks).writeValue(out, report);
    }

    private static final String LOCKS = "locks";
    /** The report's JSON writer with one more property last, {@code locks}, from the writer's attribute. */
    private static final com.fasterxml.jackson.databind.ObjectWriter WITH_LOCKS = ReportJson.mapper().copy()
            .addMixIn(Report.class, WithLocks.class).writer()
            .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    @JsonAppend(attrs = @JsonAppend.Attr(LOCKS))
    private abstract static class WithLocks {
    }

    private void writeReport(Report report, String locks) {
        if (reportFile == null) {
            return;
        }
        if ("-".equals(reportFile)) {
            spec.commandLine().getOut().println(json(report, locks));
            spec.commandLine().getOut().flush();
            return;
        }
        try {
            OutputOptions.write(Path.of(reportFile), out -> json(report, locks, out));
        } catch (IOException e) {
            spec.commandLine().getErr().println("jitguard: could not write the report to " + reportFile + ": "
                    + e.getMessage());
        }
    }
}
