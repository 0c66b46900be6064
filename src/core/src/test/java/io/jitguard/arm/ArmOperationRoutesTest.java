package io.jitguard.arm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jitguard.EmulatorArm;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator and {@link ArmOperation} agree on one list of calls: every operation is served by the emulator at its
 * method, path and api-version, and the emulator serves no provider type jitguard does not call. (The infra role's
 * actions are held to {@link ArmOperation#action()} by InfraConsistencyTest.)
 */
class ArmOperationRoutesTest {
    static final String SUB = "11111111-1111-1111-1111-111111111111";
    /** What the emulator answers for a type it does not serve, an api-version or a method it refuses. */
    static final Set<String> NOT_SERVED = Set.of("InvalidResourceType", "InvalidApiVersionParameter",
            "MethodNotAllowed", "NoRegisteredProviderFound", "MissingApiVersionParameter");
    /** The emulator's answer for a path it has no route for (404 NotFound, like ARM's own). */
    static final String NO_ROUTE = "No HTTP resource was found";

    static ArmEmulator emulator;
    static EmulatorArm arm;

    @BeforeAll
    static void start() {
        emulator = ArmEmulator.start(Estate.load(Path.of("examples", "estate.json")), 0);
        arm = EmulatorArm.of(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void everyOperationIsServedAtItsMethodPathAndApiVersion() {
        List<String> notServed = new ArrayList<>();
        for (ArmOperation op : ArmOperation.values()) {
            for (String path : paths(op)) {
                try {
                    if (op == ArmOperation.QUERY_RESOURCE_GRAPH) {
                        post(op, path);
                    } else if (op.method().equals("PUT")) {
                        arm.put(op, path, JsonNodeFactory.instance.objectNode());
                    } else if (op.method().equals("POST")) {
                        arm.postPages(op, path);
                    } else if (path.equals(ArmOperation.LIST_SUBSCRIPTIONS.path()) || op.name().startsWith("LIST_")) {
                        arm.list(op, path);
                    } else {
                        arm.get(op, path);
                    }
                } catch (ArmException e) {
                    if (NOT_SERVED.contains(e.code()) || e.getMessage().contains(NO_ROUTE)) {
                        notServed.add(op + " " + path + ": " + e.getMessage());
                    }
                }
            }
        }
        assertThat(notServed).isEmpty();
    }

    @Test
    void theEmulatorServesTheProviderTypesOfTheOperationsAndNoOthers() {
        Set<String> called = new TreeSet<>();
        for (ArmOperation op : ArmOperation.values()) {
            for (String path : paths(op)) {
                String type = providerType(path);
                if (type != null) {
                    called.add(type);
                }
            }
        }
        assertThat(new TreeSet<>(emulator.routedTypes())).isEqualTo(called);
    }

    /** A POST the way the SDK sends it (Resource Graph: a query over the example subscription). */
    static void post(ArmOperation op, String path) {
        String body = "{\"subscriptions\":[\"" + SUB + "\"],\"query\":\"resources\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.endpoint().replaceAll("/$", "")
                        + op.requestPath(path)))
                .header("Authorization", "Bearer test-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().sslContext(io.jitguard.emulator.EmulatorTls.clientContext()).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() >= 400) {
            throw new ArmException(response.statusCode(), response.body().replaceAll(".*\"code\":\"([^\"]*)\".*", "$1"),
                    response.body());
        }
    }

    /** The operation's path with example values, and with its optional part when it has one. */
    static List<String> paths(ArmOperation op) {
        List<String> placeholders = new ArrayList<>();
        String t = op.pathTemplate();
        for (int i = t.indexOf('{'); i >= 0; i = t.indexOf('{', i + 1)) {
            placeholders.add(t.substring(i + 1, t.indexOf('}', i)));
        }
        List<String> values = new ArrayList<>();
        for (String p : placeholders) {
            values.add(switch (p) {
                case "sub" -> SUB;
                case "scope" -> "/subscriptions/" + SUB + "/resourceGroups/rg-web";
                case "rg" -> "rg-web";
                case "loc" -> "westeurope";
                case "vnet" -> "vnet-web";
                default -> "jitguard-route-check";
            });
        }
        List<String> paths = new ArrayList<>();
        paths.add(op.path(values.toArray(String[]::new)));
        if (t.contains("[")) {
            int optional = (int) t.substring(t.indexOf('['), t.indexOf(']')).chars().filter(c -> c == '{').count();
            paths.add(op.path(values.subList(0, values.size() - optional).toArray(String[]::new)));
        }
        return paths;
    }

    /** {@code namespace/type[/type]} of a path below {@code /providers/}, lower-cased; null for none. */
    static String providerType(String path) {
        int at = path.toLowerCase(Locale.ROOT).indexOf("/providers/");
        if (at < 0) {
            return null;
        }
        String[] s = path.substring(at + "/providers/".length()).split("/");
        StringBuilder key = new StringBuilder(s[0]);
        for (int k = 1; k < s.length; k += 2) {
            key.append('/').append(s[k]);
        }
        return key.toString().toLowerCase(Locale.ROOT);
    }
}
