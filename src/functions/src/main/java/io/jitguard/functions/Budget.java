package io.jitguard.functions;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A wall-clock bound on work whose caller stops waiting (Event Grid: 30 s). The ARM client's own retry budget keeps a
 * reconcile short, and the run's deadline stops it cleanly; this is the backstop: past the budget the caller gets a
 * {@link RetryableException} and the work is interrupted. Stopping half-way is safe: every write is a whole read-modify-write, and the redelivered event
 * reconciles from the current state.
 */
final class Budget {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jitguard-budget-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Budget() {
    }

    static <T> T within(Duration budget, Supplier<T> work) {
        Future<T> future = WORKERS.submit(work::get);
        try {
            return future.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RetryableException("the reconcile did not finish within " + budget.toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted while reconciling", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
