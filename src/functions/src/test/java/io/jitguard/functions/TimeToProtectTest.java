package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.binding;
import static io.jitguard.functions.FunctionMocks.context;
import static io.jitguard.functions.FunctionMocks.onlyDecision;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import io.jitguard.events.RoutedOperations;
import io.jitguard.runtime.Jitguard;
import io.jitguard.runtime.JitguardConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Time to protect on an event run: from the event's {@code eventTime} to the successful PUT, timed by the engine's
 * injected clock (a fixed clock: the PUT is "at" {@link #PUT_AT}).
 */
class TimeToProtectTest extends EmulatedEstate {
    static final Instant PUT_AT = Instant.parse("2026-12-07T02:00:00Z");
    final Clock clock = Clock.fixed(PUT_AT, ZoneOffset.UTC);
    final ExecutionContext context = context("OnResourceEvent");

    private void deliver(String body) {
        FunctionsRuntime base = runtime();
        Jitguard engine = Jitguard.builder(JitguardConfig.parse(env))
                .armOptions(FunctionsRuntime.EVENT_ARM_OPTIONS).clock(clock).build();
        new OnResourceEvent(FunctionsRuntime.of(() -> engine, base::self), clock).run(body, binding(), context);
    }

    @Test
    void aFixedVmCarriesTheSecondsFromItsEventTimeToTheWrite() {
        ObjectNode event = event(vmId("rg-web", "vm-web-2"), RoutedOperations.VM_WRITE,
                OnResourceEventTest.WRITE, person());
        event.put("eventTime", "2026-12-07T01:58:53.250Z");

        deliver(event.toString());

        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("fixed");
        assertThat(d.path("timeToProtectSeconds").asLong()).isEqualTo(66);
    }

    @Test
    void aCloudEventsTimeCountsTheSame() {
        ObjectNode event = cloudEvent(vmId("rg-web", "vm-web-3"), RoutedOperations.VM_WRITE,
                OnResourceEventTest.WRITE, person());
        event.put("time", "2026-12-07T03:59:30+02:00");

        deliver(event.toString());

        assertThat(onlyDecision(context).path("timeToProtectSeconds").asLong()).isEqualTo(30);
    }

    @Test
    void nothingFixedMeansNoTimeToProtect() {
        ObjectNode event = event(vmId("rg-web", "vm-web-1"), RoutedOperations.VM_WRITE,
                OnResourceEventTest.WRITE, person());
        event.put("eventTime", "2026-12-07T01:00:00Z");

        deliver(event.toString());

        JsonNode d = onlyDecision(context);
        assertThat(d.path("result").asText()).isEqualTo("compliant");
        assertThat(d.has("timeToProtectSeconds")).isFalse();
        assertThat(List.of(d.path("finding").asText())).allSatisfy(f -> assertThat(f).contains("vm-web-1"));
    }
}
