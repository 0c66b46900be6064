package io.jitguard.functions;

import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.SelfIdentity;
import io.jitguard.runtime.Jitguard;
import io.jitguard.runtime.JitguardConfig;
import io.jitguard.engine.PolicyLocks;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every function needs, built once per process: the {@link Jitguard} engine (settings validated, one ARM client,
 * one lock table), a second one with {@link ArmOptions#EVENT_GRID}'s short ARM retry budget for Event Grid, the event
 * time budgets, and jitguard's own identity. The host
 * creates a function object per invocation through its no-arg constructor, which uses {@link #shared()}; tests hand
 * their own runtime.
 *
 * <p>Everything is built lazily on first use, so a missing or invalid setting fails the invocation that needs it (with
 * the setting's name) rather than the host's start; a failed build is not cached and is tried again next time.
 */
public final class FunctionsRuntime {
    /**
     * The reconcile deadline of an event run ({@code RunOptions.withBudget}): past it the reconciler starts no new ARM
     * read or write and reports the rest as retryable {@code TimeBudgetExhausted} failures. 20 s + one call in flight
     * (at most {@link ArmOptions#EVENT_GRID}'s 8 s) stays under Event Grid's 30 s.
     */
    public static final Duration DEFAULT_EVENT_RUN_BUDGET = Duration.ofSeconds(20);
    /**
     * The outer wall-clock safety net of an event invocation ({@link Budget#within}): only reached when something the
     * deadline cannot stop (an ARM call in flight) runs long. Event Grid waits 30 s.
     */
    public static final Duration DEFAULT_EVENT_SAFETY_NET = Duration.ofSeconds(25);
    /** ARM retries for an event: 2 retries, at most 8 s a request (Retry-After included), back-off 200 ms → 2 s. */
    public static final ArmOptions EVENT_ARM_OPTIONS = ArmOptions.EVENT_GRID;
    /** How long an unknown own identity is kept before the credential is asked again. */
    static final Duration SELF_RETRY = Duration.ofMinutes(5);

    private static final FunctionsRuntime SHARED = fromEnvironment(System.getenv());

    private final Supplier<Jitguard> jitguard;
    private final Supplier<Jitguard> eventJitguard;
    private final Supplier<SelfIdentity> self;
    private final Duration eventRunBudget;
    private final Duration eventSafetyNet;
    private volatile Notifier notifier = Notifier.none();
    private volatile String requirePrincipal;

    private FunctionsRuntime(Supplier<Jitguard> jitguard, Supplier<Jitguard> eventJitguard,
                             Supplier<SelfIdentity> self, Duration eventRunBudget, Duration eventSafetyNet) {
        this.jitguard = new Lazy<>(jitguard);
        this.eventJitguard = new Lazy<>(eventJitguard);
        this.self = new SelfMemo(self);
        this.eventRunBudget = positive(eventRunBudget, "eventRunBudget");
        this.eventSafetyNet = positive(eventSafetyNet, "eventSafetyNet");
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** The process-wide runtime over {@code System.getenv()}. */
    public static FunctionsRuntime shared() {
        return SHARED;
    }

    /**
     * From settings: the baseline from the {@code JITGUARD_*} settings, ARM from {@code JITGUARD_ARM_ENDPOINT} /
     * {@code JITGUARD_ARM_TOKEN} (else the managed identity), and policy locks as blob leases in the host's storage
     * ({@code AzureWebJobsStorage} or {@code AzureWebJobsStorage__accountName}); in-process locks when neither is set
     * (one instance only).
     */
    public static FunctionsRuntime fromEnvironment(Map<String, String> env) {
        Map<String, String> settings = Map.copyOf(env);
        Supplier<JitguardConfig> config = new Lazy<>(() -> JitguardConfig.parse(settings));
        // one lock table for every trigger of this instance
        Supplier<PolicyLocks> locks = new Lazy<>(() -> config.get().storage().policyLocks(JitguardConfig.LOCK_WAIT));
        return new FunctionsRuntime(
                () -> Jitguard.builder(config.get()).locks(locks.get()).build(),
                () -> Jitguard.builder(config.get()).armOptions(EVENT_ARM_OPTIONS).locks(locks.get()).build(),
                () -> config.get().arm().self(),
                DEFAULT_EVENT_RUN_BUDGET, DEFAULT_EVENT_SAFETY_NET).notifier(Notifier.fromEnvironment(settings))
                .requirePrincipal(settings.get(HttpAccess.REQUIRE_PRINCIPAL));
    }

    /**
     * For tests: a given engine (used for every trigger), identity, event run budget (the reconcile deadline) and
     * event safety net (the wall clock around it).
     */
    public static FunctionsRuntime of(Supplier<Jitguard> jitguard, Supplier<SelfIdentity> self,
                                      Duration eventRunBudget, Duration eventSafetyNet) {
        return new FunctionsRuntime(jitguard, jitguard, self, eventRunBudget, eventSafetyNet);
    }

    /** For tests: the default event budgets. */
    public static FunctionsRuntime of(Supplier<Jitguard> jitguard, Supplier<SelfIdentity> self) {
        return of(jitguard, self, DEFAULT_EVENT_RUN_BUDGET, DEFAULT_EVENT_SAFETY_NET);
    }

    public static FunctionsRuntime of(Supplier<Jitguard> jitguard) {
        return of(jitguard, SelfIdentity::unknown);
    }

    /** The engine for the timer, the queue and HTTP: azure-core's usual retry budget. */
    public Jitguard jitguard() {
        return jitguard.get();
    }

    /** The engine for Event Grid: the same settings and locks, fewer and shorter ARM retries. */
    public Jitguard eventJitguard() {
        return eventJitguard.get();
    }

    /** Where a run's message goes ({@code JITGUARD_NOTIFY_WEBHOOK}); none by default. */
    public Notifier notifier() {
        return notifier;
    }

    public FunctionsRuntime notifier(Notifier given) {
        this.notifier = Objects.requireNonNull(given, "notifier");
        return this;
    }

    /**
     * {@value HttpAccess#REQUIRE_PRINCIPAL} as set ({@code true} when App Service Authentication fronts the app);
     * validated by {@link HttpAccess} on each HTTP call, so a bad value fails that call closed.
     */
    public FunctionsRuntime requirePrincipal(String raw) {
        this.requirePrincipal = raw;
        return this;
    }

    String requirePrincipal() {
        return requirePrincipal;
    }

    public SelfIdentity self() {
        return self.get();
    }

    /** The reconcile deadline of an event run, from its start. */
    public Duration eventRunBudget() {
        return eventRunBudget;
    }

    /** The wall clock around an event run's reconcile; longer than {@link #eventRunBudget()}. */
    public Duration eventSafetyNet() {
        return eventSafetyNet;
    }

    /**
     * jitguard's identity, kept once known; an unknown one (no token could be had, e.g. the managed identity endpoint
     * was not ready at cold start) is asked again after {@link #SELF_RETRY}, not on every event.
     */
    private static final class SelfMemo implements Supplier<SelfIdentity> {
        private final Supplier<SelfIdentity> factory;
        private SelfIdentity value;
        private long unknownUntil;

        SelfMemo(Supplier<SelfIdentity> factory) {
            this.factory = Objects.requireNonNull(factory);
        }

        @Override
        public synchronized SelfIdentity get() {
            long now = System.nanoTime();
            if (value == null || (!value.known() && now - unknownUntil >= 0)) {
                SelfIdentity fresh = factory.get();
                value = fresh == null ? SelfIdentity.unknown() : fresh;
                unknownUntil = now + SELF_RETRY.toNanos();
            }
            return value;
        }
    }

    /** A thread-safe memo that does not remember failures (also {@link Notifier}'s HTTP client). */
    static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = Objects.requireNonNull(factory);
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = Objects.requireNonNull(factory.get(), "factory returned null");
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
