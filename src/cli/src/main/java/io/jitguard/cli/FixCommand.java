package io.jitguard.cli;

import io.jitguard.runtime.Jitguard;
import io.jitguard.scope.Scope;
import io.jitguard.scope.Scopes;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(footer = {"", ExitCodes.SETTINGS, ExitCodes.TABLE, "", "Example:", "  jitguard fix --scope /subscriptions/<id>/resourceGroups/rg-web --report fix.json"},
        name = "fix", mixinStandardHelpOptions = true,
        description = "Reconcile one VM, resource group or subscription; only that scope is read and written.")
final class FixCommand extends RunCommand {
    @Option(names = "--scope", required = true, paramLabel = "RESOURCE_ID",
            description = "Resource id of a VM, a resource group or a subscription.")
    String scope;

    @Override
    protected List<Scope> scopes(Jitguard jitguard) {
        return List.of(Scopes.parse(scope));
    }

    @Override
    protected String trigger() {
        return "cli:fix";
    }
}
