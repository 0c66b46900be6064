package io.jitguard.engine;

import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmCalls;
import java.util.ArrayList;
import java.util.List;
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
     * reads are in): twice {@code parallelism} threads, a write taken before any read waiting in line (so a
     * subscription's writes do not wait behind the reads of subscriptions not yet read); or the calling thread itself
     * when it is 1. Close it at the end of the run.
     */
    Workers workers(Run run) {
        return new Workers(run);
    }

    /** See {@link #workers}. */
    final class Workers implements AutoCloseable {
        private final Run run;
        private final java.util.concurrent.ThreadPoolExecutor pool;
        private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.Executor reads;
        private final java.util.concurrent.Executor writes;

        private Workers(Run run) {
            this.run = run;
            this.pool = parallelism == 1 ? null : new java.util.concurrent.ThreadPoolExecutor(2 * parallelism,
                    2 * parallelism, 0, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.PriorityBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "jitguard-run");
                        t.setDaemon(true);
                        return t;
                    });
            this.reads = r -> pool.execute(new Queued(r, false, queued.incrementAndGet()));
            this.writes = r -> pool.execute(new Queued(r, true, queued.incrementAndGet()));
        }

        /** A piece of work in line: writes first, then in the order they came. */
        private record Queued(Runnable work, boolean write, long order) implements Runnable, Comparable<Queued> {
            @Override
            public void run() {
                work.run();
            }

            @Override
            public int compareTo(Queued other) {
                return write != other.write ? (write ? -1 : 1) : Long.compare(order, other.order);
            }
        }

        /** {@code work} on a read worker (at once, on this thread, when the run has one), its calls the run's. */
        <R> java.util.concurrent.CompletableFuture<R> read(java.util.function.Supplier<R> work) {
            return start(reads, work);
        }

        /** Each of {@code items} started as a {@link #read}; their results in item order once all are done. */
        <T, R> java.util.concurrent.CompletableFuture<List<R>> readEach(List<T> items, Function<T, R> work) {
            return each(reads, items, work);
        }

        /** Each of {@code items} started on a write worker; their results in item order once all are done. */
        <T, R> java.util.concurrent.CompletableFuture<List<R>> writeEach(List<T> items, Function<T, R> work) {
            return each(writes, items, work);
        }

        private <R> java.util.concurrent.CompletableFuture<R> start(java.util.concurrent.Executor executor,
                                                                     java.util.function.Supplier<R> work) {
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
            }, executor);
        }

        private <T, R> java.util.concurrent.CompletableFuture<List<R>> each(java.util.concurrent.Executor executor,
                                                                            List<T> items, Function<T, R> work) {
            List<java.util.concurrent.CompletableFuture<R>> started = new ArrayList<>(items.size());
            for (T item : items) {
                started.add(start(executor, () -> work.apply(item)));
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
        return io.jitguard.arm.ConcurrentReads.await(f, "the run's ARM calls");
    }
}
