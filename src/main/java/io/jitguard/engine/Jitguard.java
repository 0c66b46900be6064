package io.jitguard.engine;

import io.jitguard.arm.Arm;
import io.jitguard.azure.ArmConnection;
import io.jitguard.azure.ArmOptions;
import io.jitguard.azure.HostStorage;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.BaselineSettings;
import io.jitguard.inventory.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.scope.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The composition root: settings parsed and validated once into a {@link Baseline}, one ARM client, one pipeline.
 * Every mode (CLI command, function) runs through {@link #reconcile}.
 */
public final class Jitguard {
    private final Baseline baseline;
    private final Arm arm;
    private final Inventory inventory;
    private final Reconciler reconciler;

    public Jitguard(Baseline baseline, Arm arm, Inventory inventory, PolicyLocks locks, Clock clock) {
        this.baseline = baseline;
        this.arm = arm;
        this.inventory = inventory;
        this.reconciler = new Reconciler(inventory, arm, baseline, locks, clock);
    }

    /** How long a writer waits for another's policy lease by default. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(60);

    /**
     * Settings → baseline, ARM client ({@link ArmOptions#DEFAULT}) and locks ({@link #policyLocks}).
     * Throws {@link io.jitguard.baseline.SettingsException} naming the setting when one is invalid.
     */
    public static Jitguard fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, ArmOptions.DEFAULT);
    }

    /**
     * With a bound on ARM retries, e.g. for an Event Grid delivery that must answer within 30 s:
     * {@code new ArmOptions(2, Duration.ofSeconds(8), false)}. The lock wait is the smaller of
     * {@link #DEFAULT_LOCK_WAIT} and {@code options.callTimeout()}.
     */
    public static Jitguard fromEnvironment(Map<String, String> env, ArmOptions options) {
        Baseline baseline = BaselineSettings.parse(env);
        Arm arm = ArmConnection.fromSettings(env, options);
        Duration lockWait = options.callTimeout().compareTo(DEFAULT_LOCK_WAIT) < 0 ? options.callTimeout()
                : DEFAULT_LOCK_WAIT;
        return new Jitguard(baseline, arm, new ArmInventory(arm), policyLocks(env, lockWait), Clock.systemUTC());
    }

    public static Jitguard fromEnvironment(Map<String, String> env, PolicyLocks locks) {
        return fromEnvironment(env, ArmOptions.DEFAULT, locks);
    }

    public static Jitguard fromEnvironment(Map<String, String> env, ArmOptions options, PolicyLocks locks) {
        Baseline baseline = BaselineSettings.parse(env);
        Arm arm = ArmConnection.fromSettings(env, options);
        return new Jitguard(baseline, arm, new ArmInventory(arm), locks, Clock.systemUTC());
    }

    /**
     * Blob-lease locks shared by every instance when the function app's storage is configured
     * ({@code AzureWebJobsStorage} connection string, or the identity-based {@code AzureWebJobsStorage__blobServiceUri}
     * / {@code AzureWebJobsStorage__accountName}); otherwise locks inside this process only.
     */
    public static PolicyLocks policyLocks(Map<String, String> env, Duration maxWait) {
        return HostStorage.policyLocks(env, maxWait).orElseGet(InProcessPolicyLocks::new);
    }

    public Report reconcile(List<Scope> scopes, RunOptions options) {
        return reconciler.reconcile(scopes, options);
    }

    /** {@code JITGUARD_SUBSCRIPTIONS} when set, else every subscription the identity can list. */
    public List<String> subscriptionsInScope() {
        return baseline.subscriptions().isEmpty() ? inventory.subscriptions() : baseline.subscriptions();
    }

    /** Refuses a scope whose subscription is outside {@code JITGUARD_SUBSCRIPTIONS}. */
    public void requireInScope(Scope scope) {
        if (!baseline.inScope(scope.subscriptionId())) {
            throw new OutOfScopeException("subscription " + scope.subscriptionId()
                    + " is outside JITGUARD_SUBSCRIPTIONS");
        }
    }

    public Baseline baseline() {
        return baseline;
    }

    public Arm arm() {
        return arm;
    }
}
