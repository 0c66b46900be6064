package io.jitguard.engine;

import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a run's independent pieces of work (scope reads, policy writes) on up to twice {@code parallelism} threads
 * (one at a time on the calling thread when it is 1), results in item order. The ARM port counts calls per thread, so the calls made on worker threads are added to the run.
 */
final class FanOut {
    private final Arm arm;
    private final int parallelism;

    FanOut(Arm arm, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, was " + parallelism);
        }
        this.arm = arm;
        this.parallelism = parallelism;
    }

    <T, R> List<R> map(List<T> items, Run run, Function<T, R> work) {
        // twice the parallelism in threads: while some evaluate or plan what they read (CPU), others keep requests
        // out; the ARM client bounds what is in flight at once (InFlightLimit)
        int threads = parallelism == 1 ? 1 : Math.min(2 * parallelism, items.size());
        if (threads <= 1) {
            return items.stream().map(work).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jitguard-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    ArmCalls before = arm.callsOnThisThread();
                    try {
                        return work.apply(item);
                    } finally {
                        run.addWorkerCalls(arm.callsOnThisThread().minus(before));
                    }
                }));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the run's ARM calls", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
