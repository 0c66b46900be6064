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
        description = "Runs the stateful HTTPS ARM emulator for an estate file (a development and test tool).")
public final class EmulatorCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--estate", paramLabel = "FILE", description = "Estate JSON file (see docs/estate.md).")
    Path estate;

    @Option(names = "--synthetic", paramLabel = "SUBSxVMS[-wide]",
            description = "Instead of --estate: the bench's generated estate, e.g. 1x20000 (one subscription of 20,000"
                    + " VMs) or 50x200-wide; 30% of VMs missing from their policy, 1000-item pages.")
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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec == null ? new PrintWriter(System.out, true) : spec.commandLine().getOut();
        PrintWriter err = spec == null ? new PrintWriter(System.err, true) : spec.commandLine().getErr();
        Estate loaded;
        try {
            if ((estate == null) == (synthetic == null)) {
                err.println("Give exactly one of --estate FILE or --synthetic SUBSxVMS");
                err.flush();
                return 2;
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
            return 2;
        }
        ArmEmulator emulator = null;
        try {
            emulator = ArmEmulator.start(loaded, port);
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
            return 2;
        } catch (RuntimeException e) {
            err.println("Cannot start the emulator: " + e.getMessage());
            err.flush();
            return 1;
        }
        ArmEmulator running = emulator;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "arm-emulator-shutdown"));
        out.println("ARM emulator listening on " + emulator.endpoint());
        out.println("Trust store: " + EmulatorTls.trustStore() + " (PKCS12, password " + EmulatorTls.PASSWORD + ")");
        out.println("Client JVM flags: " + EmulatorTls.trustStoreJvmFlags());
        out.println("In another shell, paste:");
        out.println(exports(emulator.endpoint()));
        out.println("Stats: " + emulator.endpoint() + "_emulator/stats   (Ctrl-C to stop)");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emulator.close();
        }
        return 0;
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

    /** The lines to paste into a shell so that jitguard talks to this emulator (any token: the emulator checks its shape). */
    static String exports(String endpoint) {
        return "export JITGUARD_ARM_ENDPOINT=" + endpoint + " JITGUARD_ARM_TOKEN=emulator-token\n"
                + "export JAVA_TOOL_OPTIONS=\"" + EmulatorTls.trustStoreJvmFlags() + "\"";
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmulatorCommand()).execute(args));
    }
}
