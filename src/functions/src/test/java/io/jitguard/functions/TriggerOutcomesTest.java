package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.levels;
import static io.jitguard.functions.FunctionMocks.onlyDecision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.jitguard.arm.ArmCalls;
import io.jitguard.output.OutputFormat;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.Answers;
import org.mockito.ArgumentCaptor;
import org.mockito.Captor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/**
 * Every kind of {@link ScopeOutcome} through each function trigger's one switch: what Event Grid, the queue and HTTP
 * do with it, and the decision line each writes.
 */
@ExtendWith(MockitoExtension.class)
class TriggerOutcomesTest {
    static final String RG = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-web";
    static final Report REPORT = new Report("enforce", false, "test", Instant.EPOCH, Instant.EPOCH, List.of(RG),
            List.of(), List.of(), List.of(), List.of(), List.of(), new ArmCalls(1, 0));

    @Mock
    HttpRequestMessage<Optional<String>> request;
    @Mock(answer = Answers.RETURNS_SELF)
    HttpResponseMessage.Builder builder;
    @Mock
    HttpResponseMessage response;
    @Captor
    ArgumentCaptor<HttpStatus> status;
    @Captor
    ArgumentCaptor<String> headerNames;
    @Captor
    ArgumentCaptor<String> headerValues;
    @Captor
    ArgumentCaptor<Object> body;

    /** One outcome of each kind; the switch makes a new kind fail to compile here first. */
    static ScopeOutcome example(ScopeOutcome.Kind kind) {
        return switch (kind) {
            case REJECTED -> ScopeOutcome.Rejected.input("\"scope\" must be a resource id string");
            case OUT_OF_SCOPE -> new ScopeOutcome.OutOfScope("not in JITGUARD_SUBSCRIPTIONS");
            case NOT_FOUND -> new ScopeOutcome.NotFound("rg-web: 404 ResourceGroupNotFound: gone");
            case CONVERGED -> new ScopeOutcome.Converged(ScopeOutcome.Converged.State.FIXED, null);
            case TERMINAL -> new ScopeOutcome.Terminal("rg-web/default: 403 AuthorizationFailed: no");
            case REQUEUE -> new ScopeOutcome.Requeue("ARM kept failing: 429", Duration.ofSeconds(17));
        };
    }

    static Decision decision(String trigger, ScopeOutcome outcome) {
        return Decision.of(trigger, "1").scope(RG).ended(outcome);
    }

    // Event Grid: log and return, or hand off to the queue (true); invalid settings throw (redelivery).
    @ParameterizedTest
    @EnumSource(ScopeOutcome.Kind.class)
    void eventGridLogsEveryOutcomeButARequeueWhichItHandsOff(ScopeOutcome.Kind kind) {
        ExecutionContext context = context("OnResourceEvent");
        ScopeOutcome outcome = example(kind);

        boolean handOff = OnResourceEvent.act(context, decision(OnResourceEvent.TRIGGER, outcome), outcome);

        assertThat(handOff).isEqualTo(kind == ScopeOutcome.Kind.REQUEUE);
        if (handOff) {
            assertThat(FunctionMocks.decisions(context)).as("the hand-off logs it").isEmpty();
        } else {
            assertThat(onlyDecision(context).path("result").asText()).isEqualTo(outcome.result());
        }
    }

    @Test
    void eventGridThrowsOnInvalidSettingsSoTheEventIsRedelivered() {
        ExecutionContext context = context("OnResourceEvent");
        ScopeOutcome outcome = ScopeOutcome.Rejected.settings("invalid settings: JITGUARD_PORTS: x");

        assertThatThrownBy(() -> OnResourceEvent.act(context, decision(OnResourceEvent.TRIGGER, outcome), outcome))
                .isInstanceOf(RetryableException.class).hasMessageContaining("JITGUARD_PORTS");
        assertThat(onlyDecision(context).path("result").asText()).isEqualTo("rejected");
        assertThat(levels(context)).containsExactly(Level.WARNING);
    }

    // Queue: return (the message is done) or throw (visible again, then poison).
    @ParameterizedTest
    @EnumSource(ScopeOutcome.Kind.class)
    void theQueueThrowsOnlyForARequeue(ScopeOutcome.Kind kind) {
        ExecutionContext context = context("SweepSubscription");
        ScopeOutcome outcome = example(kind);
        Decision decision = decision(SweepSubscription.TRIGGER, outcome);

        if (kind == ScopeOutcome.Kind.REQUEUE) {
            assertThatThrownBy(() -> SweepSubscription.act(context, decision, outcome))
                    .isInstanceOf(RetryableException.class).hasMessageStartingWith(outcome.reason());
        } else {
            SweepSubscription.act(context, decision, outcome);
        }
        JsonNode logged = onlyDecision(context);
        assertThat(logged.path("result").asText()).as("logged before the throw").isEqualTo(outcome.result());
    }

    @Test
    void theQueueThrowsOnInvalidSettingsSoTheMessageIsTriedAgainOnceTheyAreMended() {
        ExecutionContext context = context("SweepSubscription");
        ScopeOutcome outcome = ScopeOutcome.Rejected.settings("invalid settings: JITGUARD_PORTS: x");

        assertThatThrownBy(() -> SweepSubscription.act(context, decision(SweepSubscription.TRIGGER, outcome),
                outcome)).isInstanceOf(RetryableException.class);
    }

    // HTTP: one status per kind, Retry-After from ARM.
    @ParameterizedTest
    @EnumSource(ScopeOutcome.Kind.class)
    void httpAnswersEachOutcomeWithItsStatus(ScopeOutcome.Kind kind) throws IOException {
        HttpResponseMessage answered = answer(example(kind));

        assertThat(answered).isSameAs(response);
        HttpStatus expected = switch (kind) {
            case REJECTED -> HttpStatus.BAD_REQUEST;
            case OUT_OF_SCOPE -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONVERGED, TERMINAL -> HttpStatus.OK;
            case REQUEUE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        assertThat(status.getValue()).isEqualTo(expected);
        JsonNode json = new ObjectMapper().readTree((String) body.getValue());
        switch (kind) {
            case CONVERGED, TERMINAL -> assertThat(json.path("trigger").asText()).as("the report").isEqualTo("test");
            case NOT_FOUND -> {
                assertThat(json.path("error").asText()).isEqualTo(RG + " does not exist");
                assertThat(json.path("report").path("scopes").get(0).asText()).isEqualTo(RG);
            }
            case REJECTED, OUT_OF_SCOPE, REQUEUE -> assertThat(json.path("error").asText())
                    .isEqualTo(example(kind).reason());
        }
        assertThat(headerNames.getAllValues().contains("Retry-After")).isEqualTo(kind == ScopeOutcome.Kind.REQUEUE);
    }

    @Test
    void http503CarriesArmsRetryAfter() {
        answer(new ScopeOutcome.Requeue("ARM kept failing: 429", Duration.ofSeconds(17)));

        assertThat(header("Retry-After")).isEqualTo("17");
    }

    @Test
    void http503SaysSixtySecondsOnlyWhenArmSaidNothing() {
        answer(new ScopeOutcome.Requeue("time budget spent", null));

        assertThat(header("Retry-After")).isEqualTo("60");
    }

    @Test
    void invalidSettingsAreTheServersFault() throws IOException {
        answer(ScopeOutcome.Rejected.settings("invalid settings: JITGUARD_PORTS: x"));

        assertThat(status.getValue()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(new ObjectMapper().readTree((String) body.getValue()).path("error").asText())
                .isEqualTo("jitguard is misconfigured: invalid settings: JITGUARD_PORTS: x");
    }

    private HttpResponseMessage answer(ScopeOutcome outcome) {
        when(request.createResponseBuilder(any(HttpStatus.class))).thenReturn(builder);
        when(builder.build()).thenReturn(response);
        HttpResponseMessage answered = HttpRuns.answer(request, outcome, RG, REPORT, OutputFormat.JSON, null);
        verify(request).createResponseBuilder(status.capture());
        verify(builder, org.mockito.Mockito.atLeastOnce()).header(headerNames.capture(), headerValues.capture());
        verify(builder).body(body.capture());
        return answered;
    }

    private String header(String name) {
        int i = headerNames.getAllValues().indexOf(name);
        return i < 0 ? null : headerValues.getAllValues().get(i);
    }
}
