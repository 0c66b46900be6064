package io.jitguard.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.jitguard.baseline.SettingsException;
import io.jitguard.runtime.Jitguard;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.RunOptions;
import io.jitguard.output.OutputFormat;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.util.List;
import java.util.Map;

/**
 * What {@link Remediate} and {@link Coverage} share: scope id → scope → pipeline → HTTP answer.
 * 200 with the CLI's JSON report; 400 for an id that is not a scope; 403 for a subscription outside
 * {@code JITGUARD_SUBSCRIPTIONS}; 503 (with {@code Retry-After}) when ARM keeps failing; 500 when the app's settings
 * are invalid. Every error body is {@code {"error": "<reason>"}}.
 */
final class HttpRuns {
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final String RETRY_AFTER_SECONDS = "60";

    private HttpRuns() {
    }

    static HttpResponseMessage reconcile(FunctionsRuntime runtime, HttpRequestMessage<?> request,
                                         ExecutionContext context, String trigger, String scopeId, boolean dryRun) {
        return reconcile(runtime, request, context, trigger, scopeId, dryRun, OutputFormat.JSON);
    }

    /** The same, answering 200 with the report in {@code format}. */
    static HttpResponseMessage reconcile(FunctionsRuntime runtime, HttpRequestMessage<?> request,
                                         ExecutionContext context, String trigger, String scopeId, boolean dryRun,
                                         OutputFormat format) {
        Decision decision = Decision.of(trigger, context.getInvocationId())
                .actor(HttpAccess.actor(runtime.requirePrincipal(), request)).subject(scopeId);
        Scope scope;
        try {
            scope = Scopes.parse(scopeId);
        } catch (InvalidScopeException e) {
            return reject(request, context, decision, HttpStatus.BAD_REQUEST, e.getMessage());
        }
        decision = decision.scope(scope.id());
        Jitguard jitguard;
        try {
            jitguard = runtime.jitguard();
        } catch (SettingsException e) {
            DecisionLog.write(context, decision.result(Outcomes.FAILED, "invalid settings: " + e.getMessage()));
            return error(request, HttpStatus.INTERNAL_SERVER_ERROR, "jitguard is misconfigured: " + e.getMessage());
        }
        try {
            jitguard.requireInScope(scope);
        } catch (OutOfScopeException e) {
            return reject(request, context, decision.result(Outcomes.OUT_OF_SCOPE, e.getMessage()),
                    HttpStatus.FORBIDDEN, e.getMessage());
        }
        Report report = jitguard.reconcile(List.of(scope), new RunOptions(dryRun, trigger));
        DecisionLog.write(context, Outcomes.decide(decision, report, scope));
        if (!dryRun) {
            runtime.notifier().send(report, context.getLogger());
        }
        if (Outcomes.notFound(report, scope)) {
            ObjectNode body = ReportJson.mapper().createObjectNode().put("error", scope.id() + " does not exist");
            body.set("report", ReportJson.mapper().valueToTree(report));
            return request.createResponseBuilder(HttpStatus.NOT_FOUND).header("Content-Type", JSON_TYPE)
                    .body(body.toString()).build();
        }
        ScopeOutcome outcome = Outcomes.outcome(report, scope);
        return switch (outcome.kind()) {
            case REQUEUE -> unavailable(request, outcome.reason(), report);
            case CONVERGED, TERMINAL -> request.createResponseBuilder(HttpStatus.OK)
                    .header("Content-Type", format.contentType()).body(format.render(report, jitguard.baseline()))
                    .build();
        };
    }

    static HttpResponseMessage reject(HttpRequestMessage<?> request, ExecutionContext context, Decision decision,
                                      HttpStatus status, String reason) {
        DecisionLog.write(context, decision.result() == null ? decision.result(Outcomes.REJECTED, reason) : decision);
        return error(request, status, reason);
    }

    static HttpResponseMessage error(HttpRequestMessage<?> request, HttpStatus status, String reason) {
        ObjectNode body = ReportJson.mapper().createObjectNode().put("error", reason);
        return request.createResponseBuilder(status).header("Content-Type", JSON_TYPE).body(body.toString()).build();
    }

    private static HttpResponseMessage unavailable(HttpRequestMessage<?> request, String reason, Report report) {
        ObjectNode body = ReportJson.mapper().createObjectNode().put("error", reason).put("retryable", true);
        if (report != null) {
            body.set("report", ReportJson.mapper().valueToTree(report));
        }
        String text;
        try {
            text = ReportJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = ReportJson.mapper().createObjectNode().put("error", reason).toString();
        }
        return request.createResponseBuilder(HttpStatus.SERVICE_UNAVAILABLE).header("Content-Type", JSON_TYPE)
                .header("Retry-After", RETRY_AFTER_SECONDS).body(text).build();
    }
}
