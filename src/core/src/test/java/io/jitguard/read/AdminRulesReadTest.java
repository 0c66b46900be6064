package io.jitguard.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.EmulatorArm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ConcurrentReads;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.emulator.FaultPlan.ScriptedFault;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.scope.SubscriptionScope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A subscription's AVNM admin rules: one POST per virtual network, and none more when the first says none can be. */
class AdminRulesReadTest {
    static final Estate WIDE = Estate.syntheticWide(1, 200, 0.3, 7); // 10 groups x 2 locations: 20 virtual networks
    static final String SUB = WIDE.subscriptions().get(0).subscriptionId();
    static final String POST = "listNetworkManagerEffectiveSecurityAdminRules";

    ArmEmulator emulator = ArmEmulator.start(WIDE, 0);
    EmulatorArm arm = EmulatorArm.of(emulator);
    ArmInventory inventory = new ArmInventory(arm, Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC),
            ConcurrentReads.bounded(arm, 8));

    @AfterEach
    void stop() {
        emulator.close();
    }

    long posts() {
        return emulator.stats().byOperation().getOrDefault("POST " + POST.toLowerCase(java.util.Locale.ROOT), 0L);
    }

    @Test
    void everyVirtualNetworkWithAVmIsAskedOnce() {
        ObservedSubscription s = inventory.completeExposure(inventory.read(new SubscriptionScope(SUB)));
        long vnets = s.subnets().stream().map(n -> n.id().substring(0, n.id().toLowerCase(java.util.Locale.ROOT)
                .indexOf("/subnets/")).toLowerCase(java.util.Locale.ROOT)).distinct().count();
        assertThat(vnets).isGreaterThan(1);
        assertThat(posts()).isEqualTo(vnets);
        assertThat(s.adminRules()).hasSize((int) vnets);
        assertThat(s.readNotes()).noneMatch(n -> n.contains("AVNM"));
    }

    @Test
    void whenTheFirstVirtualNetworkIsForbiddenTheOthersAreNotAskedAndTheNoteSaysSo() {
        emulator.faults().script(ScriptedFault.status("POST", POST, 403, 100));

        ObservedSubscription s = inventory.completeExposure(inventory.read(new SubscriptionScope(SUB)));

        assertThat(emulator.stats().faultsInjected()).as("one POST sent").isEqualTo(1);
        assertThat(s.vms()).hasSize(200);
        assertThat(s.adminRules()).isEmpty();
        assertThat(s.readNotes()).anySatisfy(n -> assertThat(n).contains("could not be read").contains("403"))
                .anySatisfy(n -> assertThat(n).contains("more virtual network(s) not read").contains("403"));
    }

    @Test
    void aServerErrorOnTheFirstDoesNotStopTheOthers() {
        emulator.faults().script(ScriptedFault.status("POST", POST, 500, 1));

        ObservedSubscription s = inventory.completeExposure(inventory.read(new SubscriptionScope(SUB)));

        assertThat(emulator.stats().faultsInjected()).isEqualTo(1);
        assertThat(posts()).isPositive();
        assertThat(s.adminRules()).hasSize((int) posts());
        assertThat(s.readNotes()).singleElement().asString().contains("could not be read").contains("500");
    }

    @Test
    void whatFailsForEveryVirtualNetwork() {
        assertThat(ArmInventory.failsEveryVnet(new ArmException(403, "AuthorizationFailed", "x"), true)).isTrue();
        assertThat(ArmInventory.failsEveryVnet(new ArmException(400, "InvalidResourceType", "x"), false)).isTrue();
        assertThat(ArmInventory.failsEveryVnet(new ArmException(404, "NotFound", "x"), true)).isTrue();
        // a network not seen in this read may just be gone: the others are still asked
        assertThat(ArmInventory.failsEveryVnet(new ArmException(404, "ResourceNotFound", "x"), false)).isFalse();
        assertThat(ArmInventory.failsEveryVnet(new ArmException(429, "SubscriptionRequestsThrottled", "x"), true))
                .isFalse();
        assertThat(ArmInventory.failsEveryVnet(new ArmException(503, "ServiceUnavailable", "x"), true)).isFalse();
    }
}
