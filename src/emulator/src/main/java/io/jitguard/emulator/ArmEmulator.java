package io.jitguard.emulator;

import static io.jitguard.emulator.ArmHttp.errorBody;
import static io.jitguard.emulator.ArmHttp.lc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.jitguard.emulator.ArmHttp.Req;
import io.jitguard.emulator.ArmHttp.Resp;

/**
 * A stateful HTTPS stand-in for Azure Resource Manager, for development and tests: the real Azure SDK (azure-core,
 * Netty) talks to it over TLS on {@code 127.0.0.1}. It serves the estate's subscriptions, resource groups, compute,
 * network, pricing, JIT policy and policy assignment routes with ARM's conventions (bearer token required,
 * {@code api-version} required, case-insensitive paths, ARM error bodies, small pages with {@code nextLink}),
 * validates JIT policy and policy assignment PUTs the way Defender / Azure Policy do, injects {@link FaultPlan faults},
 * counts requests ({@link EmulatorStats}) and records the Event Grid events Azure would raise for each successful write.
 *
 * <p>The bearer token is never verified, logged, echoed or stored; only its JWT claims (or a short hash) are kept.
 */
public final class ArmEmulator implements AutoCloseable {
    public static final String JIT_TYPE = "Microsoft.Security/locations/jitNetworkAccessPolicies";
    public static final String ASSIGNMENT_TYPE = "Microsoft.Authorization/policyAssignments";
    public static final String PRICING_TYPE = "Microsoft.Security/pricings";
    public static final String VM_TYPE = "Microsoft.Compute/virtualMachines";
    public static final String WRITE_SUCCESS = "Microsoft.Resources.ResourceWriteSuccess";
    public static final String DELETE_SUCCESS = "Microsoft.Resources.ResourceDeleteSuccess";

    private static final ObjectMapper JSON = Estate.JSON;

    /** Canonical spelling of the last type segment, for {@link EmulatorStats#byOperation()}. */
    private static final Map<String, String> OPERATION_LABELS = new LinkedHashMap<>();

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each exchange waits ~40 ms on
        // delayed ACKs. Read once by the JDK when its first HttpServer is created, so only effective before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        for (String s : List.of("subscriptions", "resourceGroups", "virtualMachines", "networkInterfaces",
                "networkSecurityGroups", "virtualNetworks", "subnets", "azureFirewalls", "pricings",
                "jitNetworkAccessPolicies", "policyAssignments", "locations")) {
            OPERATION_LABELS.put(s.toLowerCase(Locale.ROOT), s);
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final String tenantId;
    private final int port;
    private final EmulatorStats stats = new EmulatorStats();
    private final FaultPlan faults = new FaultPlan();
    private final ResourceStore store;
    private final EventJournal journal;
    private final Routes routes;
    private final java.time.Duration latency;
    private final ArmThrottle throttle;

    private ArmEmulator(Estate estate, int requestedPort, Path tlsDir, Clock clock) throws IOException {
        this.tenantId = estate.tenantId();
        if (estate.faults() != null) {
            faults.configure(estate.faults(), "faults");
        }
        this.store = new ResourceStore(estate);
        this.journal = new EventJournal(tenantId);
        this.latency = estate.latency();
        this.throttle = estate.armThrottling() ? new ArmThrottle(clock) : null;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(EmulatorTls.serverContext(tlsDir)));
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "arm-emulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.port = server.getAddress().getPort();
        this.routes = new Routes(store, journal, estate.pageSize(), tenantId, clock);
    }

    /** Starts an emulator for {@code estate} on {@code 127.0.0.1:port} (0 = ephemeral), creating the TLS files if needed. */
    public static ArmEmulator start(Estate estate, int port) {
        return start(estate, port, EmulatorTls.tlsDir());
    }

    /** As {@link #start(Estate, int)}, presenting the certificate kept in {@code tlsDir} (created there if needed). */
    public static ArmEmulator start(Estate estate, int port, Path tlsDir) {
        return start(estate, port, tlsDir, Clock.systemUTC());
    }

    /** As {@link #start(Estate, int, Path)}, with the clock ARM's throttling buckets refill by and JIT requests start at. */
    public static ArmEmulator start(Estate estate, int port, Path tlsDir, Clock clock) {
        EmulatorTls.ensure(tlsDir);
        try {
            return new ArmEmulator(estate, port, tlsDir, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ARM emulator on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** e.g. {@code https://localhost:54321/}. */
    public String endpoint() {
        return "https://localhost:" + port + "/";
    }

    public int port() {
        return port;
    }

    public String tenantId() {
        return tenantId;
    }

    public EmulatorStats stats() {
        return stats;
    }

    /** The provider types served (lower-cased {@code namespace/type[/type]}), besides subscriptions and groups. */
    public java.util.Set<String> routedTypes() {
        return routes.types();
    }

    public FaultPlan faults() {
        return faults;
    }

    /** A deep copy of the stored resource (id compared case-insensitively). */
    public Optional<ObjectNode> resource(String resourceId) {
        ObjectNode r = store.find(resourceId);
        return r == null ? Optional.empty() : Optional.of(r.deepCopy());
    }

    /** Adds or replaces a resource directly (no counting, no events, no validation beyond the id). */
    public void putResource(ObjectNode resource) {
        if (resource == null || !resource.hasNonNull("id") || resource.get("id").asText().isBlank()) {
            throw new IllegalArgumentException("resource id is missing");
        }
        ObjectNode copy = resource.deepCopy();
        String id = copy.get("id").asText();
        try {
            ArmId parsed = ArmId.parse(id);
            if (!copy.hasNonNull("type")) {
                copy.put("type", parsed.type());
            }
            if (!copy.hasNonNull("name")) {
                copy.put("name", parsed.name());
            }
        } catch (IllegalArgumentException ignored) {
            // stored as given
        }
        store.put(copy);
    }

    /** Adds a resource group to a subscription the estate holds (as if someone created it now; no events). */
    public void putResourceGroup(String subscriptionId, String name, String location) {
        store.putResourceGroup(subscriptionId, name, location);
    }

    public void deleteResource(String resourceId) {
        store.remove(resourceId);
    }

    /** Copies of the events raised so far, oldest first. */
    public List<ObjectNode> events() {
        return journal.snapshot();
    }

    public void clearEvents() {
        journal.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Blocks until interrupted (for the CLI). */
    void awaitTermination() throws InterruptedException {
        while (!executor.isShutdown()) {
            executor.awaitTermination(1, TimeUnit.HOURS);
        }
    }

    // ---------------------------------------------------------------- events

    /**
     * An Event Grid schema event as the Azure subscription system topic raises it, e.g. to fabricate "a VM was created"
     * for a resource added with {@link #putResource}. {@code claims} may be null.
     */
    public static ObjectNode resourceEvent(String resourceId, String operationName, String eventType,
            Map<String, Object> claims, String tenantId) {
        ObjectNode c = claims == null ? ArmHttp.NODES.objectNode() : JSON.valueToTree(claims);
        String method = eventType != null && eventType.contains("Delete") ? "DELETE" : "PUT";
        return EventJournal.event(resourceId, operationName, eventType, c, tenantId, method,
                "https://management.azure.com" + resourceId, UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    /** The operation name ARM gives a write or delete of {@code resourceId}, e.g. {@code Microsoft.Compute/virtualMachines/write}. */
    public static String operationName(String resourceId, boolean delete) {
        return EventJournal.operationName(resourceId, delete);
    }

    // ---------------------------------------------------------------- HTTP server

    private void handle(HttpExchange ex) throws IOException {
        EmulatorStats.Flight flight = null;
        long cpu0 = EmulatorStats.threadCpu();
        try {
            String rawPath = ex.getRequestURI().getRawPath();
            if (rawPath == null) {
                rawPath = "/";
            }
            if (lc(rawPath).startsWith("/_emulator")) {
                handleInternal(ex, lc(rawPath));
                return;
            }
            flight = stats.enter();
            stats.arrived(ex.getRequestMethod(), rawPath, flight.enteredAt);
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Req r = parse(ex, rawPath);
            r.flight = flight;
            String op = operationLabel(r.lower);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
                stats.served(r.method, op);
                send(ex, r, new Resp(401, errorBody("AuthenticationFailed",
                        "Authentication failed. The 'Authorization' header is missing or is not a Bearer token."),
                        Map.of("WWW-Authenticate", "Bearer authorization_uri=\"https://login.microsoftonline.com/"
                                + tenantId + "\", error=\"invalid_token\"")));
                return;
            }
            r.token = auth.substring(7).trim();
            if (throttle != null) {
                ArmThrottle.Bucket[] b = throttle.of(r.segs.size() > 1 && r.lower.get(0).equals("subscriptions")
                        ? r.segs.get(1) : "");
                long wait = b[ArmThrottle.isRead(r.method) ? 0 : 1].take();
                if (wait > 0) {
                    stats.countThrottled();
                    send(ex, r, new Resp(429, errorBody("SubscriptionRequestsThrottled",
                            "Number of " + (ArmThrottle.isRead(r.method) ? "read" : "write")
                                    + " requests for subscription exceeded the limit of the subscription's token bucket."
                                    + " Please try again after " + wait + " seconds."),
                            Map.of("Retry-After", Long.toString(wait))));
                    return;
                }
            }
            Optional<FaultPlan.Fault> fault = faults.next(r.method, rawPath);
            if (fault.isPresent()) {
                stats.faulted();
                FaultPlan.Fault f = fault.get();
                if (f.isReset()) {
                    return; // no response headers sent yet: the connection is closed (finally) without an answer
                }
                if (f.isLostAnswer()) {
                    stats.served(r.method, op);
                    if (r.query("api-version") != null && !r.query("api-version").isBlank()) {
                        try {
                            routes.route(r); // applied ...
                        } catch (ArmHttp.ArmError ignored) {
                            // ... or refused: either way the answer is lost
                        }
                    }
                    return; // ... and the connection closed (finally) before any answer
                }
                if (f.isSlow()) {
                    try {
                        Thread.sleep(faults.slowMs());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        ex.close();
                        return;
                    }
                } else {
                    send(ex, r, faultResponse(f.status()));
                    return;
                }
            }
            stats.served(r.method, op);
            Resp resp;
            if (r.query("api-version") == null || r.query("api-version").isBlank()) {
                resp = new Resp(400, errorBody("MissingApiVersionParameter",
                        "The api-version query parameter (?api-version=) is required for all requests."));
            } else {
                try {
                    resp = routes.route(r);
                } catch (ArmHttp.ArmError e) {
                    resp = new Resp(e.status, e.body());
                }
            }
            send(ex, r, resp);
        } catch (RuntimeException e) {
            if (flight != null) {
                flight.land();
            }
            try {
                byte[] b = JSON.writeValueAsBytes(errorBody("InternalServerError",
                        "The emulator failed to handle the request: " + e.getClass().getSimpleName()));
                ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                ex.sendResponseHeaders(500, b.length);
                ex.getResponseBody().write(b);
            } catch (IOException | RuntimeException ignored) {
                // connection already gone
            }
        } finally {
            if (flight != null) {
                flight.land(); // before the connection closes: a reset or lost answer is seen by the client only then
            }
            ex.close();
            if (flight != null) {
                stats.exit(EmulatorStats.threadCpu() - cpu0, flight);
            }
        }
    }

    private Resp faultResponse(int status) {
        Map<String, String> headers = new LinkedHashMap<>();
        String code;
        String message;
        switch (status) {
            case 429 -> {
                code = "SubscriptionRequestsThrottled";
                message = "Number of requests for subscription exceeded the limit. Please try again after "
                        + faults.retryAfterSeconds() + " seconds.";
                headers.put("Retry-After", Integer.toString(faults.retryAfterSeconds()));
                headers.put("x-ms-ratelimit-remaining-subscription-reads", "0");
                headers.put("x-ms-ratelimit-remaining-subscription-writes", "0");
            }
            case 500 -> {
                code = "InternalServerError";
                message = "Encountered internal server error (injected by the emulator).";
            }
            case 503 -> {
                code = "ServiceUnavailable";
                message = "The service is temporarily unavailable (injected by the emulator).";
                headers.put("Retry-After", Integer.toString(faults.retryAfterSeconds()));
            }
            default -> {
                code = "InjectedFault";
                message = "Fault with status " + status + " injected by the emulator.";
            }
        }
        return new Resp(status, errorBody(code, message), headers);
    }

    private Req parse(HttpExchange ex, String rawPath) throws IOException {
        Req r = new Req();
        r.method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        r.rawPath = rawPath;
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                String decoded = URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
                r.segs.add(decoded);
                r.lower.add(lc(decoded));
            }
        }
        String rawQuery = ex.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            for (String kv : rawQuery.split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                r.query.putIfAbsent(lc(k), v);
            }
        }
        r.body = ex.getRequestBody().readAllBytes();
        r.origin = ArmHttp.origin(ex.getRequestHeaders().getFirst("Host"), port);
        r.url = r.origin + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
        String crid = ex.getRequestHeaders().getFirst("x-ms-client-request-id");
        r.clientRequestId = crid == null || crid.isBlank() ? UUID.randomUUID().toString() : crid;
        String corr = ex.getRequestHeaders().getFirst("x-ms-correlation-request-id");
        r.correlationId = corr == null || corr.isBlank() ? UUID.randomUUID().toString() : corr;
        return r;
    }

    private void send(HttpExchange ex, Req r, Resp resp) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("x-ms-request-id", UUID.randomUUID().toString());
        h.set("x-ms-correlation-request-id", r.correlationId);
        if (throttle != null) {
            ArmThrottle.Bucket[] b = throttle.of(r.segs.size() > 1 && r.lower.get(0).equals("subscriptions")
                    ? r.segs.get(1) : "");
            h.set("x-ms-ratelimit-remaining-subscription-reads", Long.toString(b[0].remaining()));
            h.set("x-ms-ratelimit-remaining-subscription-writes", Long.toString(b[1].remaining()));
        } else {
            h.set("x-ms-ratelimit-remaining-subscription-reads", Long.toString(Math.max(0, 11999 - stats.reads() % 12000)));
            h.set("x-ms-ratelimit-remaining-subscription-writes", Long.toString(Math.max(0, 1199 - stats.writes() % 1200)));
        }
        resp.headers().forEach(h::set);
        if (resp.headers().containsKey("Retry-After")) {
            stats.askedToWait(r.method, r.rawPath);
        }
        if (r.flight != null) {
            r.flight.land();
        }
        boolean noBody = resp.body() == null || r.method.equals("HEAD") || resp.status() == 204;
        if (noBody) {
            ex.sendResponseHeaders(resp.status(), -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(resp.body());
        h.set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(resp.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void handleInternal(HttpExchange ex, String path) throws IOException {
        JsonNode body;
        int status = 200;
        if (path.equals("/_emulator/stats")) {
            body = stats.toJson();
        } else if (path.equals("/_emulator/events")) {
            ArrayNode a = ArmHttp.NODES.arrayNode();
            journal.snapshot().forEach(a::add);
            body = a;
        } else if (path.equals("/_emulator/faults")) {
            body = faults.toJson();
        } else {
            status = 404;
            body = errorBody("NotFound", "Emulator endpoints: /_emulator/stats, /_emulator/events, /_emulator/faults");
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String operationLabel(List<String> lower) {
        if (String.join("/", lower).equals(ResourceGraph.PATH)) {
            return EmulatorStats.RESOURCE_GRAPH;
        }
        if (lower.isEmpty() || !lower.get(0).equals("subscriptions")) {
            return "unknown";
        }
        if (lower.size() <= 2) {
            return "subscriptions";
        }
        int p = lower.indexOf("providers");
        if (p < 0) {
            return lower.get(2).equals("resourcegroups") && lower.size() <= 4 ? "resourceGroups" : "unknown";
        }
        List<String> rest = lower.subList(Math.min(p + 2, lower.size()), lower.size());
        if (rest.isEmpty()) {
            return "unknown";
        }
        int lastType = (rest.size() - 1) / 2 * 2;
        String t = rest.get(lastType);
        return OPERATION_LABELS.getOrDefault(t, t);
    }

}
