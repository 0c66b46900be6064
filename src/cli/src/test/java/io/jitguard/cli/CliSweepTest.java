package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the bench's own-JVM sweep reads from the kernel, and the flags it says bin/jitguard uses. */
class CliSweepTest {
    @Test
    void childrenCpuIsFieldsSixteenAndSeventeenEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194304 100 200 0 0 350 40 125 17 20 0 30 0 1 2 3";
        assertThat(CliSweep.parseChildrenTicks(stat)).contains(125L + 17L);
        assertThat(CliSweep.parseChildrenTicks("4242 (java) S 1 2")).isEmpty();
        assertThat(CliSweep.parseChildrenTicks("no parentheses")).isEmpty();
    }

    @Test
    void theLauncherRunsTheCliWithTheFlagsTheBenchMeasures() throws Exception {
        String launcher = Files.readString(Path.of("bin/jitguard"));
        assertThat(launcher).contains("JAVA_OPTS=\"" + String.join(" ", CliSweep.LAUNCHER_FLAGS) + "\"");
    }

    @Test
    void thisProcessHasAChildrenCpuAccountOnLinux() {
        Optional<Long> ticks = CliSweep.childrenCpuTicks();
        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            assertThat(ticks).isPresent();
            assertThat(ticks.get()).isNotNegative();
        } else {
            assertThat(ticks).isEmpty();
        }
    }
}
