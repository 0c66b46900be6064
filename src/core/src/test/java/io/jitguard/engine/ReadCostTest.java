package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.EmulatorArm;
import io.jitguard.baseline.Baseline;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.report.VmReport;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import io.jitguard.scope.VmScope;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 13: what reads cost — the 5-minute cache of plan and groups, and bulk reads of VM bursts. */
class ReadCostTest {
    static final String PROD = "11111111-1111-1111-1111-111111111111";
    static final List<String> WEB_VMS = List.of("vm-web-1", "vm-web-2", "vm-web-3", "vm-web-excluded");

    ArmEmulator emulator;
    Arm arm;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));

    @BeforeEach
    void start() {
        emulator = ArmEmulator.start(Estate.load(Path.of("examples/estate.json")), 0);
        arm = EmulatorArm.of(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void planAndGroupAreReadOncePerTtlAndAgainAfterIt() {
        ArmInventory inventory = new ArmInventory(arm, clock);
        VmScope vm = new VmScope(PROD, "rg-web", "vm-web-2");
        inventory.read(vm);
        assertThat(emulator.stats().count("GET pricings")).isEqualTo(1);
        assertThat(emulator.stats().count("GET resourceGroups")).isEqualTo(1);

        emulator.stats().reset();
        clock.advance(ArmInventory.FACT_TTL.minusSeconds(1));
        inventory.read(vm);
        assertThat(emulator.stats().count("GET pricings")).isZero();
        assertThat(emulator.stats().count("GET resourceGroups")).isZero();
        assertThat(emulator.stats().count("GET virtualMachines")).isEqualTo(1); // the VM itself is never cached

        emulator.stats().reset();
        clock.advance(Duration.ofSeconds(2));
        inventory.read(vm);
        assertThat(emulator.stats().count("GET pricings")).isEqualTo(1);
        assertThat(emulator.stats().count("GET resourceGroups")).isEqualTo(1);
    }

    @Test
    void anAbsentResourceGroupIsNotCached() {
        ArmInventory inventory = new ArmInventory(arm, clock);
        ResourceGroupScope missing = new ResourceGroupScope(PROD, "rg-not-yet");
        assertThatThrownBy(() -> inventory.read(missing)).isInstanceOfSatisfying(ArmException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> inventory.read(missing)).isInstanceOf(ArmException.class);
        assertThat(emulator.stats().count("GET resourceGroups")).isEqualTo(2);
    }

    @Test
    void threeOrMoreVmsOfOneGroupAreReadInOneGroupReadWithTheSameResults() {
        List<Scope> scopes = new ArrayList<>();
        WEB_VMS.forEach(name -> scopes.add(new VmScope(PROD, "rg-web", name)));

        emulator.stats().reset();
        Report bulk = engine().reconcile(scopes, new RunOptions(true, "test"));
        long bulkReads = emulator.stats().reads();
        long bulkNicReads = emulator.stats().count("GET networkInterfaces");
        // the group's NICs in one list (plus a GET for each NIC outside the group), not one GET per VM's NIC
        assertThat(ReadUnits.of(scopes)).singleElement()
                .satisfies(u -> assertThat(u.readAs()).isEqualTo(new ResourceGroupScope(PROD, "rg-web")));

        emulator.stats().reset();
        List<VmReport> oneByOne = new ArrayList<>();
        List<String> planned = new ArrayList<>();
        for (Scope scope : scopes) {
            Report r = engine().reconcile(List.of(scope), new RunOptions(true, "test"));
            oneByOne.addAll(r.vms());
            planned.addAll(r.plannedWrites());
        }
        assertThat(emulator.stats().count("GET networkInterfaces")).isGreaterThanOrEqualTo(WEB_VMS.size())
                .isGreaterThan(bulkNicReads);
        assertThat(bulkReads).isLessThan(emulator.stats().reads());
        assertThat(sorted(bulk.vms())).isEqualTo(sorted(oneByOne));
        assertThat(bulk.vms()).hasSize(WEB_VMS.size());
        assertThat(bulk.plannedWrites()).containsExactlyInAnyOrderElementsOf(planned.stream().distinct().toList());
        assertThat(bulk.failures()).isEmpty();
    }

    @Test
    void twoVmsOfOneGroupAreReadOneByOne() {
        List<Scope> scopes = List.of(new VmScope(PROD, "rg-web", "vm-web-1"), new VmScope(PROD, "rg-web", "vm-web-2"));
        assertThat(ReadUnits.of(scopes)).hasSize(2).allSatisfy(u -> assertThat(u.readAs()).isIn(scopes));
    }

    private Reconciler engine() {
        return new Reconciler(new ArmInventory(arm, clock), arm, Baseline.defaults(), new InProcessPolicyLocks(), clock);
    }

    private static List<VmReport> sorted(List<VmReport> vms) {
        return vms.stream().sorted(Comparator.comparing(VmReport::id)).toList();
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
