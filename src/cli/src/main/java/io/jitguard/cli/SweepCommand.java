package io.jitguard.cli;

import io.jitguard.runtime.Jitguard;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import io.jitguard.scope.SubscriptionScope;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(footer = {"", ExitCodes.SETTINGS, ExitCodes.TABLE, "", "Example:", "  jitguard sweep --dry-run --report - > report.json"},
        name = "sweep", mixinStandardHelpOptions = true,
        description = "Reconcile whole subscriptions: every VM's JIT coverage and the monitoring effect.")
final class SweepCommand extends RunCommand {
    @Option(names = "--subscription", paramLabel = "ID",
            description = "A subscription id (repeatable). Default: JITGUARD_SUBSCRIPTIONS, else every subscription"
                    + " the identity can list.")
    List<String> subscriptions = new ArrayList<>();

    @Override
    protected List<Scope> scopes(Jitguard jitguard) {
        List<String> ids = subscriptions.isEmpty() ? jitguard.subscriptionsInScope() : subscriptions;
        List<Scope> scopes = new ArrayList<>();
        for (String id : ids) {
            Scope scope = Scopes.parse("/subscriptions/" + id);
            if (!(scope instanceof SubscriptionScope)) {
                throw new InputException("--subscription " + id + " is not a subscription id (a GUID)");
            }
            scopes.add(scope);
        }
        return scopes;
    }

    @Override
    protected String trigger() {
        return "cli:sweep";
    }

    @Override
    protected String nothingToDo() {
        return "no subscription in scope";
    }
}
