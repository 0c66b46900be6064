package io.jitguard.cli;

import io.jitguard.runtime.Jitguard;
import io.jitguard.events.EventBatch;
import io.jitguard.events.EventRouter;
import io.jitguard.events.InvalidEventException;
import io.jitguard.scope.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(footer = {"", ExitCodes.SETTINGS, ExitCodes.TABLE, "", "Example:", "  jitguard handle-event --file events.json --fail-on failed"},
        name = "handle-event", mixinStandardHelpOptions = true,
        description = "Reconcile what Event Grid events touch (Event Grid schema or CloudEvents 1.0, one or an array).")
final class HandleEventCommand extends RunCommand {
    /** Event Grid delivers at most 1 MB a batch; anything larger is not an Event Grid delivery. */
    static final int MAX_BYTES = 1024 * 1024;

    @Option(names = "--file", required = true, paramLabel = "FILE|-", description = "The events; - reads stdin.")
    String file;

    @Override
    protected List<Scope> scopes(Jitguard jitguard) {
        try {
            EventBatch batch = EventRouter.parse(read());
            driftStarts.clear();
            for (io.jitguard.events.RoutedEvent e : batch.events()) {
                if (e.scope().isPresent() && e.time() != null) {
                    driftStarts.merge(e.scope().get(), e.time(), (a, b) -> a.isBefore(b) ? a : b);
                }
            }
            return batch.scopes();
        } catch (InvalidEventException e) {
            throw new InputException(e.getMessage());
        }
    }

    private String read() {
        try (InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file))) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new InputException("--file " + file + " is larger than " + MAX_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("--file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Each routed scope and the time of the ARM write that raised its event: the start of its time to protect. */
    private final java.util.Map<Scope, java.time.Instant> driftStarts = new java.util.LinkedHashMap<>();

    @Override
    protected io.jitguard.engine.RunOptions options(io.jitguard.engine.RunOptions options) {
        return options.withDriftStarts(driftStarts);
    }

    @Override
    protected String trigger() {
        return "cli:handle-event";
    }

    @Override
    protected String nothingToDo() {
        return "no event routes to a scope jitguard reconciles; nothing to do";
    }
}
