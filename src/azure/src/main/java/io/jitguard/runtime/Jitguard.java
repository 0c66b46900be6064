package io.jitguard.runtime;

import io.jitguard.arm.Arm;
import io.jitguard.arm.ConcurrentReads;
import io.jitguard.arm.InFlightLimit;
import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.ResourceGraphCensus;
import io.jitguard.azure.SdkArm;
import io.jitguard.baseline.BaselineSettings;
import io.jitguard.read.EstateCensus;
import io.jitguard.baseline.Baseline;
import io.jitguard.read.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.scope.Scope;
import io.jitguard.scope.SubscriptionScope;
import io.jitguard.engine.Inventory;
import io.jitguard.engine.OutOfScopeException;
import io.jitguard.engine.PolicyLocks;
import io.jitguard.engine.Reconciler;
import io.jitguard.engine.RunPhases;
import io.jitguard.engine.RunOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The composition root: settings parsed and validated once into a {@link Baseline}, one ARM client, one pipeline.
 * Every mode (CLI command, function) runs through {@link #reconcile}.
 */
public final class Jitguard {
    private final Baseline baseline;
    private final Arm arm;
    private final Inventory inventory;
    private final Reconciler reconciler;
    private Supplier<EstateCensus> census = () -> EstateCensus.unavailable("no Resource Graph client was configured");
    private int splitThreshold = BaselineSettings.DEFAULT_SPLIT_THRESHOLD;

    public Jitguard(Baseline baseline, Arm arm, Inventory inventory, PolicyLocks locks, Clock clock) {
        this(baseline, arm, inventory, locks, clock, 1);
    }

    /** @param parallelism ARM requests one run keeps in flight ({@code JITGUARD_PARALLELISM}) */
    public Jitguard(Baseline baseline, Arm arm, Inventory inventory, PolicyLocks locks, Clock clock, int parallelism) {
        this(baseline, arm, inventory, locks, clock, parallelism, RunPhases.NONE);
    }

    private Jitguard(Baseline baseline, Arm arm, Inventory inventory, PolicyLocks locks, Clock clock, int parallelism,
                     RunPhases phases) {
        this.baseline = baseline;
        this.arm = arm;
        this.inventory = inventory;
        this.reconciler = new Reconciler(inventory, arm, baseline, locks, clock, parallelism, phases);
    }

    /** Settings → {@link JitguardConfig} → an engine with {@link ArmOptions#DEFAULT} and the configured locks. */
    public static Jitguard fromEnvironment(Map<String, String> env) {
        return builder(JitguardConfig.parse(env)).build();
    }

    /** The one way to build an engine: from validated settings, with optional overrides for tests and triggers. */
    public static Builder builder(JitguardConfig config) {
        return new Builder(config);
    }

    public static final class Builder {
        private final JitguardConfig config;
        private ArmOptions armOptions = ArmOptions.DEFAULT;
        private Arm arm;
        private PolicyLocks locks;
        private Function<Inventory, Inventory> inventory = Function.identity();
        private Clock clock = Clock.systemUTC();
        private EstateCensus census;
        private RunPhases phases = RunPhases.NONE;

        private Builder(JitguardConfig config) {
            this.config = config;
        }

        /** ARM retry bounds ({@link ArmOptions#EVENT_GRID} for a run inside an Event Grid delivery). */
        public Builder armOptions(ArmOptions options) {
            this.armOptions = options;
            return this;
        }

        /** A given ARM client instead of one connected from the settings. */
        public Builder arm(Arm given) {
            this.arm = given;
            return this;
        }

        /** Given locks (e.g. one lock table shared by several engines) instead of the configured ones. */
        public Builder locks(PolicyLocks given) {
            this.locks = given;
            return this;
        }

        /** Wraps the inventory reader (tests interpose on reads). */
        public Builder inventory(Function<Inventory, Inventory> wrap) {
            this.inventory = wrap;
            return this;
        }

        /** A given census instead of Resource Graph over the ARM client's pipeline. */
        public Builder census(EstateCensus given) {
            this.census = given;
            return this;
        }

        /** Told when each run enters a phase (the bench measures requests in flight per phase). */
        public Builder phases(RunPhases given) {
            this.phases = given;
            return this;
        }

        public Builder clock(Clock given) {
            this.clock = given;
            return this;
        }

        public Jitguard build() {
            Arm client = arm != null ? arm : config.arm().connect(armOptions);
            PolicyLocks policyLocks = locks != null ? locks : config.storage().policyLocks(JitguardConfig.LOCK_WAIT);
            // every request of the engine, whichever thread sends it, counts against the configured parallelism
            Arm limited = InFlightLimit.of(client, config.parallelism());
            // a scope's independent reads go out together, on threads bounded by the configured parallelism
            ArmInventory reader = new ArmInventory(limited, clock,
                    ConcurrentReads.bounded(limited, config.parallelism()));
            Jitguard jitguard = new Jitguard(config.baseline(), limited, inventory.apply(reader), policyLocks,
                    clock, config.parallelism(), phases);
            jitguard.splitThreshold = config.splitThreshold();
            if (census != null) {
                jitguard.census = () -> census;
            } else if (client instanceof SdkArm sdk) {
                jitguard.census = new Memo<>(() -> ResourceGraphCensus.over(sdk));
            }
            return jitguard;
        }
    }

    public Report reconcile(List<Scope> scopes, RunOptions options) {
        return reconciler.reconcile(scopes, options);
    }

    /** {@code JITGUARD_SUBSCRIPTIONS} when set, else every subscription the identity can list. */
    public List<String> subscriptionsInScope() {
        return baseline.subscriptions().isEmpty() ? inventory.subscriptions() : baseline.subscriptions();
    }

    /** {@link #subscriptionsInScope()} as scopes: what a sweep of everything reconciles. */
    public List<Scope> subscriptionScopes() {
        return subscriptionsInScope().stream().<Scope>map(SubscriptionScope::new).toList();
    }

    /** Refuses a scope whose subscription is outside {@code JITGUARD_SUBSCRIPTIONS}. */
    public void requireInScope(Scope scope) {
        if (!baseline.inScope(scope.subscriptionId())) {
            throw new OutOfScopeException("subscription " + scope.subscriptionId()
                    + " is outside JITGUARD_SUBSCRIPTIONS");
        }
    }

    /**
     * Counts VMs per resource group for the nightly plan: Resource Graph over the ARM client's own pipeline, built on
     * first use (only the timer needs it, so no other trigger loads the Resource Graph SDK).
     */
    public EstateCensus census() {
        return census.get();
    }

    /** {@code JITGUARD_SPLIT_THRESHOLD}: a subscription with more VMs is split across work items. */
    public int splitThreshold() {
        return splitThreshold;
    }

    public Baseline baseline() {
        return baseline;
    }

    public Arm arm() {
        return arm;
    }

    /** Built once, on first use. */
    private static final class Memo<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private T value;

        Memo(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = factory.get();
            }
            return value;
        }
    }
}
