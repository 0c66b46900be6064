package io.jitguard.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar jitguard.jar <command>}: every command runs the one reconcile pipeline. */
@Command(name = "jitguard", mixinStandardHelpOptions = true, version = "jitguard 0.1.0",
        description = "Keeps every Azure VM behind Defender for Cloud just-in-time VM access.",
        footer = {"", ExitCodes.TABLE},
        subcommands = {CommandLine.HelpCommand.class, SweepCommand.class, FixCommand.class, HandleEventCommand.class,
                io.jitguard.cli.EmulatorCommand.class, DemoCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            // azure-core and reactor-netty stay at error level unless asked (simplelogger.properties)
            System.setProperty("org.slf4j.simpleLogger.log.com.azure", "info");
            System.setProperty("org.slf4j.simpleLogger.log.reactor.netty", "warn");
        }
        System.exit(run(System.getenv(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command with the given environment and streams; returns the exit code (see {@link ExitCodes}). */
    public static int run(Map<String, String> env, String[] args, PrintWriter out, PrintWriter err) {
        return run(env, args, out, err, java.time.Clock.systemUTC());
    }

    /** The same, with the clock runs judge exclusion dates by. */
    public static int run(Map<String, String> env, String[] args, PrintWriter out, PrintWriter err,
                          java.time.Clock clock) {
        CommandLine cli = new CommandLine(new Main(), new CommandFactory(env, clock));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("jitguard: " + io.jitguard.report.SafeText.oneLine(ex.getMessage()));
            return ExitCodes.FAILED_INTERNAL;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Gives every command the environment it was started with. */
    private record CommandFactory(Map<String, String> env, java.time.Clock clock) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K instance = CommandLine.defaultFactory().create(type);
            if (instance instanceof EnvironmentAware aware) {
                aware.environment(env);
                aware.clock(clock);
            }
            return instance;
        }
    }
}
