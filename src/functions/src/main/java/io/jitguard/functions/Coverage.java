package io.jitguard.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.jitguard.output.OutputFormat;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/coverage?scope=<resource id>[&format=json|csv|html|ocsf]}: the report for that scope, in that format
 * (JSON by default, with the format's content type), in audit mode: ARM is only read, never
 * written, whatever {@code JITGUARD_MODE} says. Same status codes as {@link Remediate}.
 */
public class Coverage {
    static final String TRIGGER = "http:coverage";
    private final FunctionsRuntime runtime;

    public Coverage() {
        this(FunctionsRuntime.shared());
    }

    public Coverage(FunctionsRuntime runtime) {
        this.runtime = runtime;
    }

    @FunctionName("Coverage")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "coverage") HttpRequestMessage<Optional<String>> request,
            final ExecutionContext context) {
        HttpAccess.Verdict access = HttpAccess.check(runtime.requirePrincipal(), request, HttpAccess.Need.READ);
        if (!access.allowed()) {
            return HttpRuns.deny(request, context, Decision.of(TRIGGER, context.getInvocationId()), access);
        }
        Map<String, String> query = request.getQueryParameters();
        String scope = query == null ? null : query.get("scope");
        if (scope == null || scope.isBlank()) {
            return HttpRuns.reject(request, context, Decision.of(TRIGGER, context.getInvocationId()),
                    "the query parameter scope=<resource id> is required");
        }
        OutputFormat format;
        try {
            format = OutputFormat.parse(query.getOrDefault("format", "json"));
        } catch (IllegalArgumentException e) {
            return HttpRuns.reject(request, context, Decision.of(TRIGGER, context.getInvocationId()).subject(scope),
                    "format: " + e.getMessage());
        }
        return HttpRuns.reconcile(runtime, request, context, TRIGGER, scope, true, format);
    }
}
