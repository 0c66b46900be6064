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

    /**
     * {@link #map} started on a thread of its own, so that it runs alongside what the caller does next; the returned
     * supplier waits for its results (and throws what {@code map} threw). With parallelism 1, or nothing to do, the
     * work runs when the results are asked for, on the asking thread.
     */
    <T, R> java.util.function.Supplier<List<R>> mapAlongside(List<T> items, Run run, Function<T, R> work) {
        if (parallelism == 1 || items.isEmpty()) {
            return () -> map(items, run, work);
        }
        java.util.concurrent.FutureTask<List<R>> task = new java.util.concurrent.FutureTask<>(() -> {
            ArmCalls before = arm.callsOnThisThread(); // a single item runs on this thread itself
            try {
                return map(items, run, work);
            } finally {
                run.addWorkerCalls(arm.callsOnThisThread().minus(before));
            }
        });
        Thread thread = new Thread(task, "jitguard-alongside");
        thread.setDaemon(true);
        thread.start();
        return () -> result(task);
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
                results.add(result(f));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> R result(Future<R> f) {
        try {
            return f.get();
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
}
