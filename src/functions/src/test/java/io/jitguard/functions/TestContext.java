package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** An {@link ExecutionContext} as the Java worker hands one: an invocation id, a function name, a logger we read. */
final class TestContext implements ExecutionContext {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String functionName;
    private final String invocationId = UUID.randomUUID().toString();
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    TestContext(String functionName) {
        this.functionName = functionName;
        this.logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    List<String> lines() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    /** The decision lines, parsed. */
    List<JsonNode> decisions() {
        return records.stream().map(LogRecord::getMessage).filter(m -> m.startsWith(DecisionLog.PREFIX))
                .map(m -> {
                    try {
                        return JSON.readTree(m.substring(DecisionLog.PREFIX.length()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
    }

    JsonNode onlyDecision() {
        List<JsonNode> all = decisions();
        if (all.size() != 1) {
            throw new AssertionError("expected one decision line, got " + lines());
        }
        return all.get(0);
    }

    List<Level> levels() {
        return records.stream().map(LogRecord::getLevel).toList();
    }
}
