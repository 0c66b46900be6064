package io.jitguard.cli;

import io.jitguard.arm.ArmException;
import io.jitguard.baseline.SettingsException;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.RunOptions;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.ReportText;
import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What sweep, fix and handle-event share: validate all input first (settings, scopes, report path), then run the
 * pipeline once, print the summary, write the report, and map the outcome to an exit code.
 */
abstract class RunCommand implements Callable<Integer>, EnvironmentAware {
    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "Plan and report; write nothing.")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report to FILE.")
    Path reportFile;

    @Mixin
    OutputOptions output = new OutputOptions();

    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    /** The scopes to reconcile; throws {@link InputException} (or an invalid-scope exception) on bad input. */
    protected abstract List<Scope> scopes(Jitguard jitguard);

    protected abstract String trigger();

    /** Called when the input held nothing to reconcile (e.g. only ignored events). */
    protected String nothingToDo() {
        return "nothing to reconcile";
    }

    @Override
    public Integer call() {
        try {
            checkReportFile();
            output.validate();
            Jitguard jitguard = Jitguard.fromEnvironment(env);
            List<Scope> scopes = scopes(jitguard);
            scopes.forEach(jitguard::requireInScope);
            if (scopes.isEmpty()) {
                spec.commandLine().getOut().println(nothingToDo());
                return ExitCodes.COMPLIANT;
            }
            Report report = jitguard.reconcile(scopes, new RunOptions(dryRun, trigger()));
            spec.commandLine().getOut().print(ReportText.summary(report));
            spec.commandLine().getOut().flush();
            writeReport(report);
            output.write(report, jitguard.baseline(), spec.commandLine().getErr());
            return report.allCompliant() ? ExitCodes.COMPLIANT : ExitCodes.FINDINGS_REMAIN;
        } catch (SettingsException | InvalidScopeException | InputException | OutOfScopeException e) {
            return usage(e.getMessage());
        } catch (ArmException e) {
            spec.commandLine().getErr().println("jitguard: ARM answered " + e.status() + " " + e.code() + ": "
                    + e.getMessage());
            return ExitCodes.FINDINGS_REMAIN;
        }
    }

    protected Map<String, String> env() {
        return env;
    }

    private int usage(String reason) {
        spec.commandLine().getErr().println("jitguard: " + reason);
        return ExitCodes.USAGE;
    }

    private void checkReportFile() {
        if (reportFile == null) {
            return;
        }
        Path parent = reportFile.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InputException("--report " + reportFile + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(reportFile)) {
            throw new InputException("--report " + reportFile + " is a directory");
        }
    }

    private void writeReport(Report report) {
        if (reportFile == null) {
            return;
        }
        try {
            Files.writeString(reportFile, ReportJson.write(report));
        } catch (IOException e) {
            spec.commandLine().getErr().println("jitguard: could not write the report to " + reportFile + ": "
                    + e.getMessage());
        }
    }
}
