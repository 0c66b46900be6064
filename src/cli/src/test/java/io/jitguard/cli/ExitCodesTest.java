package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.arm.ArmCalls;
import io.jitguard.report.Failure;
import io.jitguard.report.Report;
import io.jitguard.report.ScopeOutcome;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind of {@link ScopeOutcome} through the CLI's one switch to its exit code. */
class ExitCodesTest {
    static final String RG = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-web";
    static final String VM = RG + "/providers/Microsoft.Compute/virtualMachines/vm-web-1";
    static final Set<String> FAIL_ON = Set.copyOf(ExitCodes.DEFAULT_FAIL_ON);

    static Report report(List<VmReport> vms, List<Failure> failures) {
        return new Report("enforce", false, "test", Instant.EPOCH, Instant.EPOCH, List.of(RG), List.of(), vms,
                List.of(), List.of(), failures, new ArmCalls(1, 0));
    }

    static ScopeOutcome example(ScopeOutcome.Kind kind) {
        return switch (kind) {
            case REJECTED -> ScopeOutcome.Rejected.input("--fail-on x is not a status");
            case OUT_OF_SCOPE -> new ScopeOutcome.OutOfScope("not in JITGUARD_SUBSCRIPTIONS");
            case NOT_FOUND -> new ScopeOutcome.NotFound("rg-web: 404 ResourceGroupNotFound: gone");
            case CONVERGED -> new ScopeOutcome.Converged(ScopeOutcome.Converged.State.COMPLIANT, null);
            case TERMINAL -> new ScopeOutcome.Terminal("rg-web/vm-web-1: 403 AuthorizationFailed: no");
            case REQUEUE -> new ScopeOutcome.Requeue("ARM kept failing: 429", Duration.ofSeconds(17));
        };
    }

    @ParameterizedTest
    @EnumSource(ScopeOutcome.Kind.class)
    void eachOutcomeHasItsExitCode(ScopeOutcome.Kind kind) {
        Report clean = report(List.of(new VmReport(VM, VmStatus.COMPLIANT, "", List.of(), null)), List.of());
        int expected = switch (kind) {
            case REJECTED, OUT_OF_SCOPE -> ExitCodes.USAGE;
            case NOT_FOUND, REQUEUE -> ExitCodes.INCOMPLETE;
            case CONVERGED, TERMINAL -> ExitCodes.COMPLIANT;
        };
        assertThat(ExitCodes.of(example(kind), kind == ScopeOutcome.Kind.REJECTED ? null : clean, FAIL_ON))
                .isEqualTo(expected);
    }

    @Test
    void convergedWithAFindingOfFailOnIs1AndOutsideFailOnIs0() {
        Report blocked = report(List.of(new VmReport(VM, VmStatus.BLOCKED, "no NSG", List.of(), null)), List.of());
        ScopeOutcome outcome = new ScopeOutcome.Converged(ScopeOutcome.Converged.State.FINDINGS_REMAIN, "blocked");
        assertThat(ExitCodes.of(outcome, blocked, FAIL_ON)).isEqualTo(ExitCodes.FINDINGS_REMAIN);
        assertThat(ExitCodes.of(outcome, blocked, Set.of("failed"))).isEqualTo(ExitCodes.COMPLIANT);
    }

    @Test
    void aTerminalFailureIs1WhenFailedIsInFailOnAnd3WhenItLeftTheScopeUnread() {
        Failure denied = new Failure(VM, 403, "AuthorizationFailed", "no", false);
        ScopeOutcome terminal = example(ScopeOutcome.Kind.TERMINAL);
        assertThat(ExitCodes.of(terminal, report(List.of(), List.of(denied)), FAIL_ON))
                .isEqualTo(ExitCodes.FINDINGS_REMAIN);
        Failure unreadable = new Failure(RG, 403, "AuthorizationFailed", "no", false);
        assertThat(ExitCodes.of(terminal, report(List.of(), List.of(unreadable)), Set.of("blocked")))
                .isEqualTo(ExitCodes.INCOMPLETE);
    }

    @Test
    void theRunExitsWithItsGravestScope() {
        Report clean = report(List.of(), List.of());
        Map<String, ScopeOutcome> outcomes = new LinkedHashMap<>();
        outcomes.put("a", example(ScopeOutcome.Kind.CONVERGED));
        assertThat(ExitCodes.of(clean, outcomes, FAIL_ON)).isEqualTo(ExitCodes.COMPLIANT);
        outcomes.put("b", example(ScopeOutcome.Kind.REQUEUE));
        outcomes.put("c", example(ScopeOutcome.Kind.CONVERGED));
        assertThat(ExitCodes.of(clean, outcomes, FAIL_ON)).isEqualTo(ExitCodes.INCOMPLETE);
        outcomes.put("d", example(ScopeOutcome.Kind.OUT_OF_SCOPE));
        assertThat(ExitCodes.of(clean, outcomes, FAIL_ON)).isEqualTo(ExitCodes.USAGE);
    }
}
