package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budget on a fake clock: no sleeping, no timing. */
class ArmBudgetTest {
    static final String A = "11111111-1111-1111-1111-111111111111";
    static final String B = "22222222-2222-2222-2222-222222222222";

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final ArmBudget budget = new ArmBudget(now::get);

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aFullBucketSendsAtOnceThenPacesAtTheRefillRate() {
        for (int i = 0; i < 225; i++) {
            assertThat(budget.reserve(A, false)).isZero();
        }
        // the 226th read waits one refill interval (1/25 s), the 227th two
        assertThat(budget.reserve(A, false)).isEqualTo(Duration.ofMillis(40));
        assertThat(budget.reserve(A, false)).isEqualTo(Duration.ofMillis(80));
        // another subscription and the writes of the same one have their own buckets
        assertThat(budget.reserve(B, false)).isZero();
        assertThat(budget.reserve(A, true)).isZero();
    }

    @Test
    void tokensComeBackWithTimeUpToTheCapacity() {
        for (int i = 0; i < 180; i++) {
            budget.reserve(A, true);
        }
        assertThat(budget.available(A, true)).isZero();
        advance(Duration.ofSeconds(3));
        assertThat(budget.available(A, true)).isEqualTo(30);
        advance(Duration.ofHours(1));
        assertThat(budget.available(A, true)).isEqualTo(180);
    }

    @Test
    void armsRemainingCountLowersTheBucketSoJitguardSlowsDown() {
        ArmBudgetPolicy.observeHeaders(budget, A, false, 200, "2", "150", null);
        assertThat(budget.available(A, false)).isEqualTo(2);
        assertThat(budget.available(A, true)).isEqualTo(150);
        assertThat(budget.reserve(A, false)).isZero();
        assertThat(budget.reserve(A, false)).isZero();
        assertThat(budget.reserve(A, false)).isEqualTo(Duration.ofMillis(40));
        // a higher count never raises the bucket above what it holds
        ArmBudgetPolicy.observeHeaders(budget, A, false, 200, "11999", null, null);
        assertThat(budget.available(A, false)).isZero();
    }

    @Test
    void a429PausesThatSubscriptionsBucketForRetryAfter() {
        ArmBudgetPolicy.observeHeaders(budget, A, true, 429, "0", "0", "7");
        assertThat(budget.reserve(A, true)).isEqualTo(Duration.ofSeconds(7));
        assertThat(budget.reserve(B, true)).isZero();
        advance(Duration.ofSeconds(7));
        // after the pause the bucket refills from zero; the reservation above holds the first token
        advance(Duration.ofMillis(200));
        assertThat(budget.available(A, true)).isEqualTo(1);
    }

    @Test
    void aReservationThatWouldWaitLongerThanAllowedTakesNothing() {
        ArmBudgetPolicy.observeHeaders(budget, A, true, 429, "0", "0", "60");
        ArmBudget.Reservation refused = budget.reserveWithin(A, true, Duration.ofSeconds(30));
        assertThat(refused.refused()).isTrue();
        assertThat(refused.delay()).isEqualTo(Duration.ofSeconds(60));
        // nothing was taken: the next writer's wait is still the pause, not the pause and a token more
        ArmBudget.Reservation allowed = budget.reserveWithin(A, true, Duration.ofSeconds(90));
        assertThat(allowed.refused()).isFalse();
        assertThat(allowed.delay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(budget.reserveWithin(B, true, Duration.ZERO)).isEqualTo(new ArmBudget.Reservation(Duration.ZERO,
                false));
    }

    @Test
    void a429WithoutRetryAfterPausesForTheDefault() {
        ArmBudgetPolicy.observeHeaders(budget, A, false, 429, null, null, "soon");
        assertThat(budget.reserve(A, false)).isEqualTo(ArmBudgetPolicy.DEFAULT_PAUSE);
    }

    @Test
    void theSubscriptionComesFromThePath() {
        assertThat(ArmBudget.subscriptionOf("/subscriptions/" + A.toUpperCase() + "/resourceGroups/rg"))
                .isEqualTo(A);
        assertThat(ArmBudget.subscriptionOf("/subscriptions")).isEqualTo(ArmBudget.TENANT);
        assertThat(ArmBudget.subscriptionOf("/providers/Microsoft.Security")).isEqualTo(ArmBudget.TENANT);
    }
}
