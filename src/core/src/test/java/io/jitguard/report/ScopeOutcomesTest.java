package io.jitguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.arm.ArmCalls;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeOutcomesTest {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String RG_A = "/subscriptions/" + SUB + "/resourceGroups/a";
    static final String RG_B = "/subscriptions/" + SUB + "/resourceGroups/b";
    static final String VM_A = RG_A + "/providers/Microsoft.Compute/virtualMachines/web1";
    static final String POLICY_A = RG_A
            + "/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";

    private static Report report(List<VmReport> vms, List<Failure> failures) {
        return new Report("enforce", false, "test", Instant.EPOCH, Instant.EPOCH, List.of(RG_A, RG_B), List.of(),
                vms, List.of(), List.of(), failures, new ArmCalls(0, 0));
    }

    private static List<Scope> scopes() {
        return List.of(Scopes.parse(RG_A), Scopes.parse(RG_B));
    }

    @Test
    void noFailureConverges() {
        Map<String, ScopeOutcome> o = ScopeOutcomes.of(report(List.of(), List.of()), scopes());
        assertThat(o.values()).hasSize(2).allMatch(x -> x.kind() == ScopeOutcome.Kind.CONVERGED);
    }

    @Test
    void retryableFailureOfAPolicyRequeuesTheScopeOfItsVmOnly() {
        VmReport vm = new VmReport(VM_A, VmStatus.FAILED, "x", List.of(), POLICY_A.toUpperCase());
        Failure f = new Failure(POLICY_A, 429, "TooManyRequests", "slow down", true);
        Map<String, ScopeOutcome> o = ScopeOutcomes.of(report(List.of(vm), List.of(f)), scopes());
        assertThat(o.get(Scopes.parse(RG_A).id())).isInstanceOf(ScopeOutcome.Requeue.class);
        assertThat(o.get(Scopes.parse(RG_A).id()).reason()).startsWith("ARM kept failing").contains("429");
        assertThat(o.get(Scopes.parse(RG_B).id()).kind()).isEqualTo(ScopeOutcome.Kind.CONVERGED);
    }

    @Test
    void nonRetryableFailureIsTerminal() {
        Failure f = new Failure(VM_A, 403, "AuthorizationFailed", "no", false);
        ScopeOutcome o = ScopeOutcomes.of(report(List.of(), List.of(f)), Scopes.parse(RG_A));
        assertThat(o).isInstanceOf(ScopeOutcome.Terminal.class);
        assertThat(o.reason()).contains("403 AuthorizationFailed");
    }

    @Test
    void anUnattributedRetryableFailureRequeuesEveryScope() {
        Failure f = new Failure("/subscriptions/" + SUB + "/somewhere-else", 0, ScopeOutcomes.TIME_BUDGET_EXHAUSTED,
                "spent", true);
        Map<String, ScopeOutcome> o = ScopeOutcomes.of(report(List.of(), List.of(f)),
                List.of(Scopes.parse(RG_A), Scopes.parse(RG_B)));
        assertThat(o.values()).hasSize(2).allMatch(x -> x.kind() == ScopeOutcome.Kind.REQUEUE);
        assertThat(o.values().iterator().next().reason()).startsWith("time budget spent: ");
    }

    @Test
    void reportOutcomesCoverItsScopes() {
        assertThat(report(List.of(), List.of()).outcomes()).containsOnlyKeys(Scopes.parse(RG_A).id(),
                Scopes.parse(RG_B).id());
    }

    @Test
    void aRequeueCarriesTheLongestRetryAfterArmSentForTheScope() {
        VmReport vm = new VmReport(VM_A, VmStatus.FAILED, "x", List.of(), POLICY_A);
        Failure first = new Failure(POLICY_A, 429, "TooManyRequests", "slow down", true, 7L);
        Failure second = new Failure(VM_A, 503, "ServiceUnavailable", "busy", true, 20L);
        Failure other = new Failure(RG_B, 429, "TooManyRequests", "elsewhere", true, 99L);
        ScopeOutcome o = ScopeOutcomes.of(report(List.of(vm), List.of(first, second, other)), Scopes.parse(RG_A));
        assertThat(o).isEqualTo(new ScopeOutcome.Requeue(o.reason(), java.time.Duration.ofSeconds(20)));
    }

    @Test
    void withoutRetryAfterTheRequeueSaysNothingOfWhen() {
        Failure f = new Failure(VM_A, 503, "ServiceUnavailable", "busy", true);
        ScopeOutcome o = ScopeOutcomes.of(report(List.of(), List.of(f)), Scopes.parse(RG_A));
        assertThat(((ScopeOutcome.Requeue) o).retryAfter()).isNull();
    }

    @Test
    void anUnattributedRetryableFailureCarriesItsRetryAfterToEveryScope() {
        Failure f = new Failure("/subscriptions/" + SUB + "/somewhere-else", 429, "TooManyRequests", "slow", true, 30L);
        Map<String, ScopeOutcome> o = ScopeOutcomes.of(report(List.of(), List.of(f)), scopes());
        assertThat(o.values()).allSatisfy(x -> assertThat(((ScopeOutcome.Requeue) x).retryAfter())
                .isEqualTo(java.time.Duration.ofSeconds(30)));
    }

    @Test
    void a404OnTheScopeItselfIsNotFoundAndStaysSoBesideAnUnattributedRetry() {
        Failure missing = new Failure(RG_A, 404, "ResourceGroupNotFound", "no such group", false);
        Failure elsewhere = new Failure("/subscriptions/" + SUB + "/somewhere-else", 0,
                ScopeOutcomes.TIME_BUDGET_EXHAUSTED, "spent", true);
        Map<String, ScopeOutcome> o = ScopeOutcomes.of(report(List.of(), List.of(missing, elsewhere)), scopes());
        assertThat(o.get(Scopes.parse(RG_A).id())).isInstanceOf(ScopeOutcome.NotFound.class);
        assertThat(o.get(Scopes.parse(RG_A).id()).result()).isEqualTo("not-found");
        assertThat(o.get(Scopes.parse(RG_B).id()).kind()).isEqualTo(ScopeOutcome.Kind.REQUEUE);
    }

    @Test
    void a404OnAResourceInsideTheScopeIsTerminalNotNotFound() {
        Failure f = new Failure(VM_A, 404, "ResourceNotFound", "gone", false);
        assertThat(ScopeOutcomes.of(report(List.of(), List.of(f)), Scopes.parse(RG_A)).kind())
                .isEqualTo(ScopeOutcome.Kind.TERMINAL);
    }

    @Test
    void convergedSaysWhatTheScopeLooksLike() {
        VmReport compliant = new VmReport(VM_A, VmStatus.COMPLIANT, "", List.of(), POLICY_A);
        VmReport blocked = new VmReport(VM_A, VmStatus.BLOCKED, "no NSG", List.of(), POLICY_A);
        assertThat(ScopeOutcomes.of(report(List.of(compliant), List.of()), Scopes.parse(RG_A)))
                .isEqualTo(new ScopeOutcome.Converged(ScopeOutcome.Converged.State.COMPLIANT, null));
        ScopeOutcome o = ScopeOutcomes.of(report(List.of(blocked), List.of()), Scopes.parse(RG_A));
        assertThat(o.result()).isEqualTo("findings-remain");
        assertThat(o.reason()).isEqualTo("a/web1 blocked: no NSG");
    }

    @Test
    void aFailureBeforeAnyScopeIsRequeuedWhenRetryableElseTerminal() {
        Failure throttled = new Failure("/subscriptions", 429, "TooManyRequests", "slow", true, 5L);
        Failure denied = new Failure("/subscriptions", 403, "AuthorizationFailed", "no", false);
        assertThat(ScopeOutcomes.failed(List.of(throttled)))
                .isEqualTo(new ScopeOutcome.Requeue("ARM kept failing: /subscriptions: 429 TooManyRequests: slow",
                        java.time.Duration.ofSeconds(5)));
        assertThat(ScopeOutcomes.failed(List.of(denied)).kind()).isEqualTo(ScopeOutcome.Kind.TERMINAL);
    }

    @Test
    void everyKindHasItsOwnResult() {
        assertThat(ScopeOutcome.results()).doesNotHaveDuplicates().contains("rejected", "out-of-scope",
                "not-found", "compliant", "fixed", "would-fix", "findings-remain", "exposed", "failed",
                "transient-failure");
    }
}
