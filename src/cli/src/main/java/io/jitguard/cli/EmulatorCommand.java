package io.jitguard.cli;

import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import io.jitguard.emulator.EstateException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jitguard emulator --estate FILE}: serves the estate over HTTPS until interrupted. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        footer = {"", "Settings: none. Prints the export lines for the shell that runs jitguard:",
                "  JITGUARD_ARM_ENDPOINT, JITGUARD_ARM_TOKEN and JITGUARD_ARM_CA_FILE (its certificate, PEM).",
                "  The TLS files live in $HOME/.jitguard/emulator-tls (-Djitguard.emulator.tlsDir=DIR to move them).",
                "", ExitCodes.TOOL_EXIT_CODES},
        description = "Runs the stateful HTTPS ARM emulator for an estate file (a development and test tool).")
public final class EmulatorCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--estate", paramLabel = "FILE", description = "Estate JSON file (see docs/estate.md).")
    Path estate;

    @Option(names = "--synthetic", paramLabel = "SUBSxVMS[-wide]",
            description = "Instead of --estate: the bench's generated estate, e.g. 1x20000 (one subscription of 20,000"
                    + " VMs) or 50x200-wide; 30%% of VMs missing from their policy, 1000-item pages.")
    String synthetic;

    @Option(names = "--latency-ms", description = "Latency added to every ARM request, in milliseconds.")
    Integer latencyMs;

    @Option(names = "--port", defaultValue = "8443", description = "Port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--page-size", description = "Items per list page (overrides the estate's pageSize).")
    Integer pageSize;

    @Option(names = "--fault-rate", description = "Probability 0-1 of a random fault per request.")
    Double faultRate;

    @Option(names = "--fault-kinds", split = ",", description = "Fault kinds: 429,500,503,reset,slow.")
    String[] faultKinds;

    @Option(names = "--retry-after", description = "Retry-After seconds on injected 429/503.")
    Integer retryAfter;

    @Option(names = "--slow-ms", description = "Delay of a 'slow' fault in milliseconds.")
    Long slowMs;

    /** Where the TLS files live and the home directory the printed lines abbreviate as {@code $HOME} (tests set them). */
    Path tlsDir = EmulatorTls.tlsDir();
    Path home = Path.of(System.getProperty("user.home"));

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec == null ? new PrintWriter(System.out, true) : spec.commandLine().getOut();
        PrintWriter err = spec == null ? new PrintWriter(System.err, true) : spec.commandLine().getErr();
        Started started = start(out, err);
        if (started.emulator() == null) {
            return started.exitCode();
        }
        ArmEmulator running = started.emulator();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "arm-emulator-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.close();
        }
        return 0;
    }

    /** The emulator, or why it did not start (its exit code). */
    record Started(ArmEmulator emulator, int exitCode) {
    }

    /** Starts the emulator and prints where it listens and the lines to paste; returns without waiting. */
    Started start(PrintWriter out, PrintWriter err) {
        Estate loaded;
        try {
            if ((estate == null) == (synthetic == null)) {
                err.println("Give exactly one of --estate FILE or --synthetic SUBSxVMS");
                err.flush();
                return new Started(null, 2);
            }
            loaded = estate != null ? Estate.load(estate) : synthetic(synthetic);
            if (latencyMs != null) {
                loaded = loaded.withLatency(java.time.Duration.ofMillis(latencyMs));
            }
            if (pageSize != null) {
                loaded = loaded.withPageSize(pageSize);
            }
        } catch (EstateException e) {
            err.println("Bad estate: " + e.getMessage());
            err.flush();
            return new Started(null, 2);
        }
        ArmEmulator emulator = null;
        try {
            emulator = ArmEmulator.start(loaded, port, tlsDir);
            if (faultRate != null) {
                emulator.faults().rate(faultRate);
            }
            if (faultKinds != null) {
                emulator.faults().kinds(Arrays.asList(faultKinds));
            }
            if (retryAfter != null) {
                emulator.faults().retryAfterSeconds(retryAfter);
            }
            if (slowMs != null) {
                emulator.faults().slowMs(slowMs);
            }
        } catch (IllegalArgumentException e) {
            if (emulator != null) {
                emulator.close(); // a bad fault option must not leave a server listening
            }
            err.println("Bad option: " + e.getMessage());
            err.flush();
            return new Started(null, 2);
        } catch (RuntimeException e) {
            err.println("Cannot start the emulator: " + e.getMessage());
            err.flush();
            return new Started(null, 1);
        }
        out.println("ARM emulator listening on " + emulator.endpoint());
        out.println("In another shell, paste:");
        out.println(exports(emulator.endpoint(), EmulatorTls.caFile(tlsDir), home));
        out.println("Stats: " + emulator.endpoint() + "_emulator/stats   (Ctrl-C to stop)");
        out.flush();
        return new Started(emulator, 0);
    }

    /** {@code 1x20000} or {@code 50x200-wide}: {@link BenchCommand}'s estates, with ARM's throttling. */
    static Estate synthetic(String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})x(\\d{1,6})(-wide)?").matcher(spec);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw new EstateException("--synthetic: expected SUBSxVMS[-wide] (e.g. 1x20000 or 50x200-wide)");
        }
        int subs = Integer.parseInt(m.group(1));
        int vms = Integer.parseInt(m.group(2));
        Estate generated = m.group(3) != null
                ? Estate.syntheticWide(subs, vms, BenchCommand.NON_COMPLIANT, BenchCommand.SEED)
                : Estate.synthetic(subs, vms, BenchCommand.NON_COMPLIANT, BenchCommand.SEED);
        return generated.withArmThrottling(true).withPageSize(1000);
    }

    /**
     * The lines to paste into a shell so that jitguard talks to this emulator: its endpoint, any token (the emulator
     * checks only its shape) and its certificate as an extra CA. A CA file under {@code home} is written as
     * {@code "$HOME/..."}, so the lines are the same on every machine.
     */
    static String exports(String endpoint, Path caFile, Path home) {
        Path ca = caFile.toAbsolutePath().normalize();
        Path h = home.toAbsolutePath().normalize();
        String caValue = ca.startsWith(h) && !ca.equals(h) && h.relativize(ca).toString().matches("[A-Za-z0-9._/-]+")
                ? "\"$HOME/" + h.relativize(ca).toString().replace('\\', '/') + "\""
                : "'" + ca.toString().replace("'", "'\\''") + "'";
        return "export JITGUARD_ARM_ENDPOINT=" + endpoint + " JITGUARD_ARM_TOKEN=emulator-token\n"
                + "export JITGUARD_ARM_CA_FILE=" + caValue;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmulatorCommand()).execute(args));
    }
}
