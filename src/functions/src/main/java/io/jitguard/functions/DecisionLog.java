package io.jitguard.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import io.jitguard.report.SafeText;
import io.jitguard.report.ScopeOutcome;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes each {@link Decision} as one line, {@code jitguard.decision {json}}, to the invocation's logger (which the
 * host sends to Application Insights as a trace with the invocation id). Failures are warnings, the rest info.
 */
public final class DecisionLog {
    public static final String PREFIX = "jitguard.decision ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WARNINGS = Set.of(ScopeOutcome.FAILED, ScopeOutcome.TRANSIENT_FAILURE,
            ScopeOutcome.REJECTED, ScopeOutcome.OUT_OF_SCOPE);

    private DecisionLog() {
    }

    public static void write(ExecutionContext context, Decision decision) {
        Logger logger = context.getLogger();
        logger.log(WARNINGS.contains(decision.result()) ? Level.WARNING : Level.INFO, line(decision));
    }

    public static String line(Decision decision) {
        try {
            // JSON escapes C0 controls; SafeText also escapes what JSON leaves raw (DEL, C1 such as NEL, the Unicode
            // line separators, bidi overrides) as \\uXXXX, still valid JSON: the line parses back to the same values
            return PREFIX + SafeText.oneLine(JSON.writeValueAsString(decision));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decision could not be serialised", e);
        }
    }
}
