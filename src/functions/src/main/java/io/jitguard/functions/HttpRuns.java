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
import io.jitguard.report.ScopeOutcomes;
import io.jitguard.baseline.Baseline;
import io.jitguard.engine.Refusals;
import java.time.Duration;
import io.jitguard.scope.InvalidScopeException;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.util.List;
import java.util.Map;

/**
 * What {@link Remediate} and {@link Coverage} share: scope id → scope → pipeline → the scope's {@link ScopeOutcome}
 * → HTTP answer, in one {@code switch} ({@link #answer}): 200 with the CLI's JSON report (converged, or a failure
 * that trying again will not change, both in the report); 400 for a request or scope id that is not valid; 500 when
 * the app's settings are invalid; 403 for a subscription outside {@code JITGUARD_SUBSCRIPTIONS}; 404 when the scope
 * does not exist; 503 when ARM kept failing, with ARM's {@code Retry-After} (60 s when ARM sent none). Every error
 * body is {@code {"error": "<reason>"}}.
 */
final class HttpRuns {
    static final String JSON_TYPE = "application/json; charset=utf-8";
    /** The {@code Retry-After} of a 503 when ARM sent none. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

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
        Report report = null;
        Baseline baseline = null;
        ScopeOutcome outcome;
        try {
            Scope scope = Scopes.parse(scopeId);
            decision = decision.scope(scope.id());
            Jitguard jitguard = runtime.jitguard();
            baseline = jitguard.baseline();
            jitguard.requireInScope(scope);
            report = jitguard.reconcile(List.of(scope), new RunOptions(dryRun, trigger));
            outcome = ScopeOutcomes.of(report, scope);
            decision = Findings.describe(decision, report, scope, outcome);
        } catch (InvalidScopeException | SettingsException | OutOfScopeException e) {
            outcome = Refusals.of(e);
            decision = decision.ended(outcome);
        }
        DecisionLog.write(context, decision);
        if (report != null && !dryRun) {
            runtime.notifier().send(report, context.getLogger());
        }
        return answer(request, outcome, decision.scope(), report, format, baseline);
    }

    /** Refuses a request whose input is not valid: logs it {@code rejected} and answers 400. */
    static HttpResponseMessage reject(HttpRequestMessage<?> request, ExecutionContext context, Decision decision,
                                      String reason) {
        ScopeOutcome outcome = ScopeOutcome.Rejected.input(reason);
        DecisionLog.write(context, decision.ended(outcome));
        return answer(request, outcome, null, null, OutputFormat.JSON, null);
    }

    /**
     * Refuses a caller that {@link HttpAccess} does not let in, before its input is read: logged {@code rejected}
     * (with the caller as the platform vouched for it), answered 401 or 403 (500 when the setting itself is invalid).
     */
    static HttpResponseMessage deny(HttpRequestMessage<?> request, ExecutionContext context, Decision decision,
                                    HttpAccess.Verdict verdict) {
        ScopeOutcome outcome = verdict.status() == HttpStatus.INTERNAL_SERVER_ERROR
                ? ScopeOutcome.Rejected.settings(verdict.reason()) : ScopeOutcome.Rejected.input(verdict.reason());
        DecisionLog.write(context, decision.actor(verdict.actor()).ended(outcome));
        return error(request, verdict.status(), verdict.reason(), null);
    }

    /**
     * The one switch of the HTTP trigger, from the scope's outcome to the answer.
     *
     * @param report   null when the scope was refused before the run
     * @param baseline what the report is rendered against; null when the run did not start
     */
    static HttpResponseMessage answer(HttpRequestMessage<?> request, ScopeOutcome outcome, String scopeId,
                                      Report report, OutputFormat format, Baseline baseline) {
        return switch (outcome.kind()) {
            case REJECTED -> ((ScopeOutcome.Rejected) outcome).source() == ScopeOutcome.Rejected.Source.INPUT
                    ? error(request, HttpStatus.BAD_REQUEST, outcome.reason(), null)
                    : error(request, HttpStatus.INTERNAL_SERVER_ERROR, "jitguard is misconfigured: "
                    + outcome.reason(), null);
            case OUT_OF_SCOPE -> error(request, HttpStatus.FORBIDDEN, outcome.reason(), null);
            case NOT_FOUND -> error(request, HttpStatus.NOT_FOUND, scopeId + " does not exist", report);
            case CONVERGED, TERMINAL -> request.createResponseBuilder(HttpStatus.OK)
                    .header("Content-Type", format.contentType()).body(format.render(report, baseline)).build();
            case REQUEUE -> unavailable(request, (ScopeOutcome.Requeue) outcome, report);
        };
    }

    private static HttpResponseMessage error(HttpRequestMessage<?> request, HttpStatus status, String reason,
                                             Report report) {
        ObjectNode body = ReportJson.mapper().createObjectNode().put("error", reason);
        if (report != null) {
            body.set("report", ReportJson.mapper().valueToTree(report));
        }
        return request.createResponseBuilder(status).header("Content-Type", JSON_TYPE).body(body.toString()).build();
    }

    private static HttpResponseMessage unavailable(HttpRequestMessage<?> request, ScopeOutcome.Requeue outcome,
                                                   Report report) {
        ObjectNode body = ReportJson.mapper().createObjectNode().put("error", outcome.reason())
                .put("retryable", true);
        if (report != null) {
            body.set("report", ReportJson.mapper().valueToTree(report));
        }
        String text;
        try {
            text = ReportJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = ReportJson.mapper().createObjectNode().put("error", outcome.reason()).toString();
        }
        return request.createResponseBuilder(HttpStatus.SERVICE_UNAVAILABLE).header("Content-Type", JSON_TYPE)
                .header("Retry-After", String.valueOf(retryAfter(outcome).toSeconds())).body(text).build();
    }

    /** ARM's {@code Retry-After} when it sent one, else {@link #DEFAULT_RETRY_AFTER}. */
    static Duration retryAfter(ScopeOutcome.Requeue outcome) {
        return outcome.retryAfter() != null ? outcome.retryAfter() : DEFAULT_RETRY_AFTER;
    }
}
