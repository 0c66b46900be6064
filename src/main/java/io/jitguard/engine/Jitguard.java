package io.jitguard.engine;

import io.jitguard.arm.Arm;
import io.jitguard.azure.ArmConnection;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.BaselineSettings;
import io.jitguard.inventory.ArmInventory;
import io.jitguard.report.Report;
import io.jitguard.scope.Scope;
import java.time.Clock;
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

    /** Throws {@link io.jitguard.baseline.SettingsException} naming the setting when one is invalid. */
    public static Jitguard fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, new InProcessPolicyLocks());
    }

    public static Jitguard fromEnvironment(Map<String, String> env, PolicyLocks locks) {
        Baseline baseline = BaselineSettings.parse(env);
        Arm arm = ArmConnection.fromSettings(env);
        return new Jitguard(baseline, arm, new ArmInventory(arm), locks, Clock.systemUTC());
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
