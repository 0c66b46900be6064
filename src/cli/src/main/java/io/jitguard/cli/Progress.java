package io.jitguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.arm.ForwardingArm;
import io.jitguard.engine.Inventory;
import io.jitguard.model.ObservedSubscription;
import io.jitguard.scope.Scope;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What a long run shows on stderr: a progress line (scopes read of how many, policies written) when {@code show} is
 * on, and with {@code verbose} one line per ARM call: method, path, status, milliseconds — never headers or tokens.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean show;
    private final boolean verbose;
    private int scopesTotal;
    private int scopesRead;
    private int scopesUnreadable;
    private int policiesWritten;

    Progress(PrintWriter err, boolean show, boolean verbose) {
        this.err = err;
        this.show = show;
        this.verbose = verbose;
    }

    void expect(int scopes) {
        this.scopesTotal = scopes;
    }

    /** The inventory, counting scopes read. */
    Inventory inventory(Inventory inner) {
        return new Inventory() {
            @Override
            public List<String> subscriptions() {
                return inner.subscriptions();
            }

            @Override
            public ObservedSubscription read(Scope scope) {
                return readFor(scope, null);
            }

            @Override
            public ObservedSubscription completeExposure(ObservedSubscription observed) {
                return inner.completeExposure(observed);
            }

            @Override
            public ObservedSubscription readFor(Scope scope, java.util.Set<String> vmIds) {
                try {
                    ObservedSubscription read = vmIds == null ? inner.read(scope) : inner.readFor(scope, vmIds);
                    scopesRead++;
                    return read;
                } catch (RuntimeException e) {
                    scopesUnreadable++;
                    throw e;
                } finally {
                    line();
                }
            }
        };
    }

    /** The ARM client, counting policy writes and (verbose) logging each call. */
    Arm arm(Arm inner) {
        return new ForwardingArm(inner) {
            @Override
            public JsonNode get(ArmOperation operation, String path) {
                return call("GET", path, () -> inner.get(operation, path));
            }

            @Override
            public List<JsonNode> list(ArmOperation operation, String path) {
                return call("GET", path, () -> inner.list(operation, path));
            }

            @Override
            public <T> List<T> list(ArmOperation operation, String path, java.util.function.Function<JsonNode, T> each) {
                return call("GET", path, () -> inner.list(operation, path, each));
            }

            @Override
            public JsonNode put(ArmOperation operation, String path, JsonNode body) {
                JsonNode answer = call("PUT", path, () -> inner.put(operation, path, body));
                if (operation == ArmOperation.PUT_JIT_POLICY) {
                    policiesWritten++;
                    line();
                }
                return answer;
            }
        };
    }

    private <T> T call(String method, String path, Supplier<T> call) {
        long start = System.nanoTime();
        int status = 200;
        try {
            return call.get();
        } catch (ArmException e) {
            status = e.status();
            throw e;
        } finally {
            if (verbose) {
                err.println(String.format(Locale.ROOT, "jitguard: %s %s -> %s (%d ms)", method,
                        io.jitguard.report.SafeText.oneLine(path),
                        status == 0 ? "no answer" : Integer.toString(status), (System.nanoTime() - start) / 1_000_000));
                err.flush();
            }
        }
    }

    private void line() {
        if (!show) {
            return;
        }
        err.println(String.format(Locale.ROOT, "jitguard: read %d/%d scope%s%s, wrote %d polic%s",
                scopesRead, scopesTotal, scopesTotal == 1 ? "" : "s",
                scopesUnreadable == 0 ? "" : " (" + scopesUnreadable + " unreadable)", policiesWritten,
                policiesWritten == 1 ? "y" : "ies"));
        err.flush();
    }
}
