package io.jitguard.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Sends a scope's independent reads together: each {@link #start} hands one read to a bounded executor and
 * {@link Pending#join} waits for it. The reads' calls count as the starting thread's
 * ({@link Arm#onBehalfOfThisThread}). A read's failure is thrown by its {@code join}, as if it had run there.
 * {@link #oneAtATime} runs each read on the calling thread as it is started.
 */
public final class ConcurrentReads {
    private final Arm arm;
    private final Executor executor;

    /** @param executor where reads run; it must never queue without bound (e.g. run on the caller when saturated) */
    public ConcurrentReads(Arm arm, Executor executor) {
        this.arm = arm;
        this.executor = executor;
    }

    public static ConcurrentReads oneAtATime(Arm arm) {
        return new ConcurrentReads(arm, Runnable::run);
    }

    /**
     * Reads on up to {@code threads} daemon threads (idle ones end after 30 s); when all are busy, a read runs on the
     * thread that starts it, so nothing queues and nothing waits on a read that cannot start.
     */
    public static ConcurrentReads bounded(Arm arm, int threads) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(0, threads,
                30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "jitguard-read-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
        return new ConcurrentReads(arm, pool);
    }

    public <T> Pending<T> start(Supplier<T> read) {
        FutureTask<T> task = new FutureTask<>(arm.onBehalfOfThisThread(read)::get);
        executor.execute(task);
        return new Pending<>(task);
    }

    /** Every read together; the results in order. */
    public <T> List<T> all(List<Supplier<T>> reads) {
        List<Pending<T>> started = new ArrayList<>(reads.size());
        for (int i = 0; i < reads.size(); i++) {
            // the last read runs on the calling thread, which would only wait otherwise
            started.add(i == reads.size() - 1 ? done(reads.get(i)) : start(reads.get(i)));
        }
        List<T> results = new ArrayList<>(reads.size());
        for (Pending<T> p : started) {
            results.add(p.join());
        }
        return results;
    }

    private static <T> Pending<T> done(Supplier<T> read) {
        FutureTask<T> task = new FutureTask<>(read::get);
        task.run();
        return new Pending<>(task);
    }

    /** A read under way. */
    public static final class Pending<T> {
        private final Future<T> future;

        private Pending(Future<T> future) {
            this.future = future;
        }

        /** The read's result, or its exception (unchecked exceptions and errors as thrown). */
        public T join() {
            return await(future, "an ARM read");
        }
    }

    /**
     * Waits for {@code future}: its result, or what its work threw, thrown here as if the work had run on this thread
     * (unchecked exceptions and errors as they are, through any {@link java.util.concurrent.CompletionException} of
     * composed stages; a checked one wrapped in {@link IllegalStateException}).
     *
     * @param waitingFor what is waited for, for the message when the wait is interrupted
     */
    public static <T> T await(Future<T> future, String waitingFor) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
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
            throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
        }
    }
}
