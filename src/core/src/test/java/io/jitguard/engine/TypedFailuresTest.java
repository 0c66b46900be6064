package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.World;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.MalformedArmDocumentException;
import io.jitguard.baseline.Baseline;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Malformed ARM documents and refused merges become reported failures of the right code; nothing escapes. */
class TypedFailuresTest {
    private static final Scope SCOPE = Scopes.parse("/subscriptions/" + World.SUB);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    /** An ARM whose every GET answers {@code answer}; PUTs are counted. */
    private static final class FixedArm implements Arm {
        final JsonNode answer;
        int puts;

        FixedArm(JsonNode answer) {
            this.answer = answer;
        }

        public JsonNode get(ArmOperation operation, String path) {
            return answer;
        }

        public List<JsonNode> list(ArmOperation operation, String path) {
            return List.of();
        }

        public JsonNode put(ArmOperation operation, String path, JsonNode body) {
            puts++;
            return body;
        }

        public List<JsonNode> postPages(ArmOperation operation, String path) {
            return List.of();
        }

        public ArmCalls calls() {
            return new ArmCalls(0, puts);
        }
    }

    private static Inventory inventory(Supplier<ObservedSubscription> read) {
        return new Inventory() {
            public List<String> subscriptions() {
                return List.of(World.SUB);
            }

            public ObservedSubscription read(Scope scope) {
                return read.get();
            }

            public ObservedSubscription completeExposure(ObservedSubscription observed) {
                return observed;
            }
        };
    }

    private static Report run(Inventory inventory, Arm arm) {
        return new Reconciler(inventory, arm, Baseline.defaults(), new InProcessPolicyLocks(), CLOCK)
                .reconcile(List.of(SCOPE), new RunOptions(false, "test"));
    }

    @Test
    void aMalformedDocumentWhileReadingIsAReportedTerminalFailure() {
        Report report = run(inventory(() -> {
            throw new MalformedArmDocumentException("ARM returned a resource without an id");
        }), new FixedArm(null));
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(MalformedArmDocumentException.CODE);
            assertThat(f.retryable()).isFalse();
        });
        assertThat(report.outcomes().get(SCOPE.id())).isInstanceOf(ScopeOutcome.Terminal.class);
    }

    @Test
    void aPolicyThatIsNotAnObjectIsUnmergeableAndNothingIsWritten() {
        World w = new World();
        w.vm("web1");
        FixedArm arm = new FixedArm(World.JSON.createArrayNode());
        Report report = run(inventory(w::build), arm);
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("UnmergeablePolicy");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(arm.puts).isZero();
    }
}
