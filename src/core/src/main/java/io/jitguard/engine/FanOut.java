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
     * Worker threads for one run's work that starts more work as it finishes (a subscription's writes once its
     * reads are in): twice {@code parallelism} threads, or the calling thread itself when it is 1. Close it at the
     * end of the run.
     */
    Workers workers(Run run) {
        return new Workers(run);
    }

    /** See {@link #workers}. */
    final class Workers implements AutoCloseable {
        private final Run run;
        private final ExecutorService pool;

        private Workers(Run run) {
            this.run = run;
            this.pool = parallelism == 1 ? null : Executors.newFixedThreadPool(2 * parallelism, r -> {
                Thread t = new Thread(r, "jitguard-run");
                t.setDaemon(true);
                return t;
            });
        }

        /** {@code work} on a worker (at once, on this thread, when the run has one), its calls counted as the run's. */
        <R> java.util.concurrent.CompletableFuture<R> start(java.util.function.Supplier<R> work) {
            if (pool == null) {
                return java.util.concurrent.CompletableFuture.completedFuture(work.get());
            }
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                ArmCalls before = arm.callsOnThisThread();
                try {
                    return work.get();
                } finally {
                    run.addWorkerCalls(arm.callsOnThisThread().minus(before));
                }
            }, pool);
        }

        /** Each of {@code items} started ({@link #start}); their results in item order once all are done. */
        <T, R> java.util.concurrent.CompletableFuture<List<R>> startEach(List<T> items, Function<T, R> work) {
            List<java.util.concurrent.CompletableFuture<R>> started = new ArrayList<>(items.size());
            for (T item : items) {
                started.add(start(() -> work.apply(item)));
            }
            return java.util.concurrent.CompletableFuture.allOf(started.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                    .thenApply(done -> started.stream().map(java.util.concurrent.CompletableFuture::join).toList());
        }

        /** Waits for {@code work}; what it threw is thrown here, as if it had run on this thread. */
        <R> R join(java.util.concurrent.CompletableFuture<R> work) {
            return result(work);
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
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
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause(); // a stage of a composed piece of work failed: throw what it threw
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run's ARM calls", e);
        }
    }
}
