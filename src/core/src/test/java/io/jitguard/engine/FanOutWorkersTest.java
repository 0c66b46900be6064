package io.jitguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jitguard.EmulatorArm;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The run's workers: a write waiting in line goes before every read waiting in line, else first come first served. */
class FanOutWorkersTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aWriteWaitingInLineIsTakenBeforeTheReadsQueuedBeforeIt() throws Exception {
        try (ArmEmulator emulator = ArmEmulator.start(Estate.load(Path.of("examples", "estate.json")), 0)) {
            FanOut fanOut = new FanOut(EmulatorArm.of(emulator), 2); // four workers
            Run run = new Run(new RunOptions(false, "test"), false, CLOCK);
            List<CountDownLatch> release = List.of(new CountDownLatch(1), new CountDownLatch(1),
                    new CountDownLatch(1), new CountDownLatch(1));
            CountDownLatch busy = new CountDownLatch(4);
            List<String> started = new CopyOnWriteArrayList<>();
            try (FanOut.Workers workers = fanOut.workers(run)) {
                CompletableFuture<List<Boolean>> holding = workers.readEach(List.of(0, 1, 2, 3), i -> {
                    busy.countDown();
                    try {
                        return release.get(i).await(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
                assertThat(busy.await(1, TimeUnit.MINUTES)).as("every worker held").isTrue();
                CompletableFuture<List<Boolean>> reads = workers.readEach(List.of("r1", "r2"), started::add);
                CompletableFuture<List<Boolean>> writes = workers.writeEach(List.of("w1", "w2"), started::add);

                release.get(0).countDown(); // one worker free: it takes what waits, one at a time
                workers.join(reads);
                workers.join(writes);
                release.forEach(CountDownLatch::countDown);
                assertThat(workers.join(holding)).containsOnly(true);
            }
            assertThat(started).containsExactly("w1", "w2", "r1", "r2");
        }
    }
}
