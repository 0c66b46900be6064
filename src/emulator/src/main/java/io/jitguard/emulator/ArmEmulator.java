package io.jitguard.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

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
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern JWT_PART = Pattern.compile("[A-Za-z0-9_-]+={0,2}");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "*");
    private static final Set<String> MONITORING_EFFECTS = Set.of("AuditIfNotExists", "Disabled");
    private static final Duration MIN_DURATION = Duration.ofMinutes(5);
    private static final Duration MAX_DURATION = Duration.ofDays(1);

    /** Lower-cased "namespace/type[/type]" → canonical type, for the generic list/get routes. */
    private static final Map<String, String> GENERIC_TYPES = Map.of(
            "microsoft.compute/virtualmachines", VM_TYPE,
            "microsoft.classiccompute/virtualmachines", "Microsoft.ClassicCompute/virtualMachines",
            "microsoft.network/networkinterfaces", "Microsoft.Network/networkInterfaces",
            "microsoft.network/networksecuritygroups", "Microsoft.Network/networkSecurityGroups",
            "microsoft.network/virtualnetworks", "Microsoft.Network/virtualNetworks",
            "microsoft.network/azurefirewalls", "Microsoft.Network/azureFirewalls");

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
    private final int pageSize;
    private final int port;
    private final EmulatorStats stats = new EmulatorStats();
    private final FaultPlan faults = new FaultPlan();
    private final List<ObjectNode> events = new ArrayList<>();
    private final java.time.Duration latency;
    private final ArmThrottle throttle;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    // State, guarded by `this`.
    private final Map<String, ObjectNode> subscriptions = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> groups = new LinkedHashMap<>();
    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();

    private ArmEmulator(Estate estate, int requestedPort) throws IOException {
        this.tenantId = estate.tenantId();
        this.pageSize = estate.pageSize();
        this.latency = estate.latency();
        this.throttle = estate.armThrottling() ? new ArmThrottle(System::nanoTime) : null;
        if (estate.faults() != null) {
            faults.configure(estate.faults(), "faults");
        }
        for (Estate.Subscription s : estate.subscriptions()) {
            ObjectNode sub = NODES.objectNode();
            sub.put("id", "/subscriptions/" + s.subscriptionId());
            sub.put("subscriptionId", s.subscriptionId());
            sub.put("displayName", s.displayName());
            sub.put("state", s.state());
            sub.put("tenantId", tenantId);
            subscriptions.put(lc(s.subscriptionId()), sub);
            Map<String, ObjectNode> rgs = new LinkedHashMap<>();
            for (Estate.ResourceGroup g : s.resourceGroups()) {
                ObjectNode rg = NODES.objectNode();
                rg.put("id", "/subscriptions/" + s.subscriptionId() + "/resourceGroups/" + g.name());
                rg.put("name", g.name());
                rg.put("type", "Microsoft.Resources/resourceGroups");
                rg.put("location", g.location());
                ObjectNode tags = rg.putObject("tags");
                g.tags().forEach(tags::put);
                rg.putObject("properties").put("provisioningState", "Succeeded");
                rgs.put(lc(g.name()), rg);
            }
            groups.put(lc(s.subscriptionId()), rgs);
        }
        for (ObjectNode r : estate.resources()) {
            resources.put(ArmId.key(r.get("id").asText()), r);
        }
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(EmulatorTls.serverContext()));
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
    }

    /** Starts an emulator for {@code estate} on {@code 127.0.0.1:port} (0 = ephemeral), creating the TLS files if needed. */
    public static ArmEmulator start(Estate estate, int port) {
        EmulatorTls.ensure();
        try {
            return new ArmEmulator(estate, port);
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

    public FaultPlan faults() {
        return faults;
    }

    /** A deep copy of the stored resource (id compared case-insensitively). */
    public synchronized Optional<ObjectNode> resource(String resourceId) {
        ObjectNode r = resources.get(ArmId.key(resourceId));
        return r == null ? Optional.empty() : Optional.of(r.deepCopy());
    }

    /** Adds or replaces a resource directly (no counting, no events, no validation beyond the id). */
    public synchronized void putResource(ObjectNode resource) {
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
        resources.put(ArmId.key(id), copy);
    }

    public synchronized void deleteResource(String resourceId) {
        resources.remove(ArmId.key(resourceId));
    }

    /** Copies of the events raised so far, oldest first. */
    public List<ObjectNode> events() {
        synchronized (events) {
            List<ObjectNode> out = new ArrayList<>();
            events.forEach(e -> out.add(e.deepCopy()));
            return out;
        }
    }

    public void clearEvents() {
        synchronized (events) {
            events.clear();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- events

    /**
     * An Event Grid schema event as the Azure subscription system topic raises it, e.g. to fabricate "a VM was created"
     * for a resource added with {@link #putResource}. {@code claims} may be null.
     */
    public static ObjectNode resourceEvent(String resourceId, String operationName, String eventType,
            Map<String, Object> claims, String tenantId) {
        ObjectNode c = claims == null ? NODES.objectNode() : JSON.valueToTree(claims);
        String method = eventType != null && eventType.contains("Delete") ? "DELETE" : "PUT";
        return event(resourceId, operationName, eventType, c, tenantId, method,
                "https://management.azure.com" + resourceId, UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    /** The operation name ARM gives a write or delete of {@code resourceId}, e.g. {@code Microsoft.Compute/virtualMachines/write}. */
    public static String operationName(String resourceId, boolean delete) {
        return ArmId.parse(resourceId).type() + (delete ? "/delete" : "/write");
    }

    private static ObjectNode event(String resourceId, String operationName, String eventType, ObjectNode claims,
            String tenantId, String method, String url, String clientRequestId, String correlationId) {
        String sub = subscriptionOf(resourceId);
        String provider = operationName.contains("/") ? operationName.substring(0, operationName.indexOf('/')) : "";
        ObjectNode e = NODES.objectNode();
        e.put("id", UUID.randomUUID().toString());
        e.put("topic", "/subscriptions/" + sub);
        e.put("subject", resourceId);
        e.put("eventType", eventType);
        e.put("eventTime", Instant.now().toString());
        e.put("dataVersion", "2");
        e.put("metadataVersion", "1");
        ObjectNode data = e.putObject("data");
        ObjectNode auth = data.putObject("authorization");
        auth.put("scope", resourceId);
        auth.put("action", operationName);
        auth.putObject("evidence").put("role", "Contributor");
        data.set("claims", claims);
        data.put("correlationId", correlationId);
        ObjectNode http = data.putObject("httpRequest");
        http.put("clientRequestId", clientRequestId);
        http.put("clientIpAddress", "127.0.0.1");
        http.put("method", method);
        http.put("url", url);
        data.put("resourceProvider", provider);
        data.put("resourceUri", resourceId);
        data.put("operationName", operationName);
        data.put("status", "Succeeded");
        data.put("subscriptionId", sub);
        data.put("tenantId", tenantId);
        return e;
    }

    private static String subscriptionOf(String resourceId) {
        String[] parts = resourceId.split("/");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equalsIgnoreCase("subscriptions")) {
                return parts[i + 1];
            }
        }
        return "";
    }

    private void raise(Req r, String resourceId, boolean delete) {
        String eventType = delete ? DELETE_SUCCESS : WRITE_SUCCESS;
        ObjectNode e = event(resourceId, operationName(resourceId, delete), eventType, claims(r.token), tenantId,
                r.method, r.url, r.clientRequestId, r.correlationId);
        synchronized (events) {
            events.add(e);
        }
    }

    /** JWT payload claims, or {@code {"appid": <8 hex of sha-256(token)>}}; never the token itself. */
    static ObjectNode claims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3 && JWT_PART.matcher(parts[0]).matches() && JWT_PART.matcher(parts[1]).matches()) {
            try {
                JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1].replace("=", "")));
                if (payload != null && payload.isObject()) {
                    return (ObjectNode) payload;
                }
            } catch (IOException | IllegalArgumentException ignored) {
                // not a JWT after all
            }
        }
        ObjectNode c = NODES.objectNode();
        c.put("appid", tokenHash(token));
        return c;
    }

    static String tokenHash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- HTTP plumbing

    /** One parsed request. */
    private static final class Req {
        String method;
        String rawPath;
        List<String> segs = new ArrayList<>();
        List<String> lower = new ArrayList<>();
        Map<String, String> query = new LinkedHashMap<>();
        byte[] body;
        String token;
        String url;
        String clientRequestId;
        String correlationId;
        String throttleSub;

        String query(String name) {
            return query.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A response. */
    private record Resp(int status, JsonNode body, Map<String, String> headers) {
        Resp(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    /** An ARM error response. */
    private static final class ArmError extends RuntimeException {
        final int status;
        final String code;

        ArmError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private static ArmError badRequest(String message) {
        return new ArmError(400, "BadRequest", message);
    }

    private static ObjectNode errorBody(String code, String message) {
        ObjectNode body = NODES.objectNode();
        ObjectNode e = body.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return body;
    }

    private void handle(HttpExchange ex) throws IOException {
        stats.began();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            handleCounted(ex);
        } finally {
            stats.ended(Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuBefore));
        }
    }

    private void handleCounted(HttpExchange ex) throws IOException {
        try {
            String rawPath = ex.getRequestURI().getRawPath();
            if (rawPath == null) {
                rawPath = "/";
            }
            if (lc(rawPath).startsWith("/_emulator")) {
                handleInternal(ex, lc(rawPath));
                return;
            }
            Req r = parse(ex, rawPath);
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
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ex.close();
                    return;
                }
            }
            if (throttle != null) {
                boolean write = !(r.method.equals("GET") || r.method.equals("HEAD"));
                String sub = r.lower.size() >= 2 && r.lower.get(0).equals("subscriptions") ? r.lower.get(1) : null;
                ArmThrottle.Decision d = throttle.take(sub, write);
                r.throttleSub = sub;
                if (!d.admitted()) {
                    stats.throttledOnce();
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Retry-After", Long.toString(d.retryAfterSeconds()));
                    send(ex, r, new Resp(429, errorBody("SubscriptionRequestsThrottled",
                            "Number of " + (write ? "write" : "read") + " requests for subscription '" + sub
                                    + "' exceeded the limit. Please try again after " + d.retryAfterSeconds()
                                    + " seconds."), headers));
                    return;
                }
            }
            Optional<FaultPlan.Fault> fault = faults.next(r.method, rawPath);
            if (fault.isPresent()) {
                stats.faulted();
                FaultPlan.Fault f = fault.get();
                if (f.isReset()) {
                    ex.close(); // no response headers sent yet: the server closes the connection
                    return;
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
                    resp = route(r);
                } catch (ArmError e) {
                    resp = new Resp(e.status, errorBody(e.code, e.getMessage()));
                }
            }
            send(ex, r, resp);
        } catch (RuntimeException e) {
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
            ex.close();
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
        r.url = "https://localhost:" + port + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
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
            h.set("x-ms-ratelimit-remaining-subscription-reads", Long.toString(throttle.remaining(r.throttleSub, false)));
            h.set("x-ms-ratelimit-remaining-subscription-writes", Long.toString(throttle.remaining(r.throttleSub, true)));
        } else {
            h.set("x-ms-ratelimit-remaining-subscription-reads", Long.toString(Math.max(0, 11999 - stats.reads() % 12000)));
            h.set("x-ms-ratelimit-remaining-subscription-writes", Long.toString(Math.max(0, 1199 - stats.writes() % 1200)));
        }
        resp.headers().forEach(h::set);
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
            ArrayNode a = NODES.arrayNode();
            events().forEach(a::add);
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

    // ---------------------------------------------------------------- routing

    private Resp route(Req r) {
        List<String> s = r.segs;
        List<String> l = r.lower;
        if (l.isEmpty() || !l.get(0).equals("subscriptions")) {
            throw new ArmError(404, "NotFound", "No HTTP resource was found that matches the request URI '" + r.rawPath
                    + "'.");
        }
        if (s.size() == 1) {
            requireRead(r);
            return ok(page(listSubscriptions(), r));
        }
        ObjectNode sub = subscription(s.get(1));
        String subId = sub.get("subscriptionId").asText();
        if (s.size() == 2) {
            requireRead(r);
            return ok(sub);
        }
        int i = 2;
        String rg = null;
        if (l.get(2).equals("resourcegroups")) {
            if (s.size() == 3) {
                requireRead(r);
                return ok(page(listResourceGroups(subId), r));
            }
            ObjectNode group = resourceGroup(subId, s.get(3));
            rg = group.get("name").asText();
            if (s.size() == 4) {
                if (r.method.equals("HEAD")) {
                    return new Resp(204, null);
                }
                requireRead(r);
                return ok(group);
            }
            i = 4;
        }
        if (!l.get(i).equals("providers") || s.size() < i + 3) {
            throw new ArmError(404, "NotFound", "No HTTP resource was found that matches the request URI '" + r.rawPath
                    + "'.");
        }
        String ns = s.get(i + 1);
        List<String> rest = s.subList(i + 2, s.size());
        StringBuilder key = new StringBuilder(lc(ns));
        for (int k = 0; k < rest.size(); k += 2) {
            key.append('/').append(lc(rest.get(k)));
        }
        boolean collection = rest.size() % 2 == 1;
        String scope = "/subscriptions/" + subId + (rg == null ? "" : "/resourceGroups/" + rg);
        String typeKey = key.toString();

        String generic = GENERIC_TYPES.get(typeKey);
        if (generic != null) {
            requireRead(r);
            if (collection) {
                return ok(page(list(generic, scope, null), r));
            }
            if (rg == null) {
                throw invalidType(r, ns, typeKey);
            }
            return ok(get(scope + "/providers/" + generic + "/" + rest.get(1), rg));
        }
        switch (typeKey) {
            case "microsoft.network/virtualnetworks/subnets": {
                requireRead(r);
                if (rg == null) {
                    throw invalidType(r, ns, typeKey);
                }
                ObjectNode vnet = get(scope + "/providers/Microsoft.Network/virtualNetworks/" + rest.get(1), rg);
                List<ObjectNode> subnets = new ArrayList<>();
                JsonNode arr = vnet.path("properties").path("subnets");
                arr.forEach(n -> {
                    if (n.isObject()) {
                        ObjectNode copy = ((ObjectNode) n).deepCopy();
                        if (!copy.has("type")) {
                            copy.put("type", "Microsoft.Network/virtualNetworks/subnets");
                        }
                        subnets.add(copy);
                    }
                });
                if (collection) {
                    return ok(page(subnets, r));
                }
                for (ObjectNode sn : subnets) {
                    if (sn.path("name").asText().equalsIgnoreCase(rest.get(3))) {
                        return ok(sn);
                    }
                }
                throw new ArmError(404, "NotFound", "Resource " + scope + "/providers/Microsoft.Network/virtualNetworks/"
                        + vnet.path("name").asText() + "/subnets/" + rest.get(3) + " not found.");
            }
            case "microsoft.security/pricings": {
                requireRead(r);
                if (rg != null) {
                    throw invalidType(r, ns, typeKey);
                }
                if (collection) {
                    return ok(page(listPricings(subId), r));
                }
                return ok(pricing(subId, rest.get(1)));
            }
            case "microsoft.security/jitnetworkaccesspolicies": {
                requireRead(r);
                if (!collection) {
                    throw invalidType(r, ns, typeKey);
                }
                return ok(page(list(JIT_TYPE, scope, null), r));
            }
            case "microsoft.security/locations/jitnetworkaccesspolicies": {
                if (collection) {
                    requireRead(r);
                    return ok(page(list(JIT_TYPE, scope, rest.get(1)), r));
                }
                if (rg == null) {
                    throw invalidType(r, ns, typeKey);
                }
                String id = scope + "/providers/Microsoft.Security/locations/" + rest.get(1)
                        + "/jitNetworkAccessPolicies/" + rest.get(3);
                return switch (r.method) {
                    case "GET", "HEAD" -> ok(get(id, rg));
                    case "PUT" -> putJitPolicy(r, subId, rg, rest.get(1), rest.get(3), id);
                    case "DELETE" -> delete(r, id, false);
                    default -> throw methodNotAllowed(r);
                };
            }
            case "microsoft.authorization/policyassignments": {
                if (collection) {
                    requireRead(r);
                    return ok(page(list(ASSIGNMENT_TYPE, scope, null), r));
                }
                if (rest.size() != 2) {
                    throw invalidType(r, ns, typeKey);
                }
                String id = scope + "/providers/Microsoft.Authorization/policyAssignments/" + rest.get(1);
                return switch (r.method) {
                    case "GET", "HEAD" -> ok(get(id, rg));
                    case "PUT" -> putAssignment(r, id, rest.get(1));
                    case "DELETE" -> delete(r, id, true);
                    default -> throw methodNotAllowed(r);
                };
            }
            default:
                throw invalidType(r, ns, typeKey);
        }
    }

    private static ArmError invalidType(Req r, String ns, String typeKey) {
        String type = typeKey.contains("/") ? typeKey.substring(typeKey.indexOf('/') + 1) : typeKey;
        return new ArmError(400, "InvalidResourceType", "The resource type '" + type
                + "' could not be found in the namespace '" + ns + "' for api version '" + r.query("api-version")
                + "' (or this route is not served by the jitguard ARM emulator).");
    }

    private static void requireRead(Req r) {
        if (!r.method.equals("GET") && !r.method.equals("HEAD")) {
            throw methodNotAllowed(r);
        }
    }

    private static ArmError methodNotAllowed(Req r) {
        return new ArmError(405, "MethodNotAllowed", "The requested resource does not support http method '" + r.method
                + "'.");
    }

    private static Resp ok(JsonNode body) {
        return new Resp(200, body);
    }

    private synchronized ObjectNode subscription(String sub) {
        ObjectNode s = subscriptions.get(lc(sub));
        if (s == null) {
            throw new ArmError(404, "SubscriptionNotFound", "The subscription '" + sub + "' could not be found.");
        }
        return s.deepCopy();
    }

    private synchronized ObjectNode resourceGroup(String subId, String rg) {
        ObjectNode g = groups.getOrDefault(lc(subId), Map.of()).get(lc(rg));
        if (g == null) {
            throw new ArmError(404, "ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        return g.deepCopy();
    }

    private synchronized List<ObjectNode> listSubscriptions() {
        List<ObjectNode> out = new ArrayList<>();
        subscriptions.values().forEach(s -> out.add(s.deepCopy()));
        return out;
    }

    private synchronized List<ObjectNode> listResourceGroups(String subId) {
        List<ObjectNode> out = new ArrayList<>();
        groups.getOrDefault(lc(subId), Map.of()).values().forEach(g -> out.add(g.deepCopy()));
        return out;
    }

    /** Resources of {@code type} under {@code scope}, optionally only those under {@code /locations/{location}/}. */
    private synchronized List<ObjectNode> list(String type, String scope, String location) {
        String prefix = lc(scope) + "/";
        String loc = location == null ? null : "/locations/" + lc(location) + "/";
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : resources.entrySet()) {
            ObjectNode res = e.getValue();
            if (e.getKey().startsWith(prefix) && res.path("type").asText().equalsIgnoreCase(type)
                    && (loc == null || e.getKey().contains(loc))) {
                out.add(res.deepCopy());
            }
        }
        return out;
    }

    private synchronized ObjectNode get(String id, String rg) {
        ObjectNode res = resources.get(ArmId.key(id));
        if (res == null) {
            throw notFound(id, rg);
        }
        return res.deepCopy();
    }

    private static ArmError notFound(String id, String rg) {
        String what;
        try {
            ArmId a = ArmId.parse(id);
            what = a.type() + "/" + a.name();
        } catch (IllegalArgumentException e) {
            what = id;
        }
        return new ArmError(404, "ResourceNotFound", "The Resource '" + what + "'"
                + (rg == null ? "" : " under resource group '" + rg + "'") + " was not found.");
    }

    private synchronized List<ObjectNode> listPricings(String subId) {
        List<ObjectNode> out = list(PRICING_TYPE, "/subscriptions/" + subId, null);
        boolean hasVm = out.stream().anyMatch(p -> p.path("name").asText().equalsIgnoreCase("VirtualMachines"));
        if (!hasVm) {
            out.add(0, freePricing(subId));
        }
        return out;
    }

    private synchronized ObjectNode pricing(String subId, String name) {
        ObjectNode p = resources.get(ArmId.key("/subscriptions/" + subId + "/providers/Microsoft.Security/pricings/" + name));
        if (p != null) {
            return p.deepCopy();
        }
        if (name.equalsIgnoreCase("VirtualMachines")) {
            return freePricing(subId);
        }
        throw notFound("/subscriptions/" + subId + "/providers/Microsoft.Security/pricings/" + name, null);
    }

    private static ObjectNode freePricing(String subId) {
        ObjectNode p = NODES.objectNode();
        p.put("id", "/subscriptions/" + subId + "/providers/Microsoft.Security/pricings/VirtualMachines");
        p.put("name", "VirtualMachines");
        p.put("type", PRICING_TYPE);
        p.putObject("properties").put("pricingTier", "Free");
        return p;
    }

    private ObjectNode page(List<ObjectNode> items, Req r) {
        int offset = 0;
        String token = r.query("$skiptoken");
        if (token != null) {
            try {
                offset = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) {
                throw new ArmError(400, "InvalidSkipToken", "The $skiptoken '" + token + "' is not valid.");
            }
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode value = body.putArray("value");
        int end = Math.min(items.size(), offset + pageSize);
        for (int k = offset; k < end; k++) {
            value.add(items.get(k));
        }
        if (end < items.size()) {
            body.put("nextLink", "https://localhost:" + port + r.rawPath + "?api-version="
                    + URLEncoder.encode(r.query("api-version"), StandardCharsets.UTF_8) + "&$skiptoken=" + end);
        }
        return body;
    }

    // ---------------------------------------------------------------- writes

    private ObjectNode bodyObject(Req r) {
        JsonNode body;
        try {
            body = r.body.length == 0 ? null : JSON.readTree(r.body);
        } catch (IOException e) {
            throw new ArmError(400, "InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: not valid JSON.");
        }
        if (body == null || !body.isObject()) {
            throw new ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.");
        }
        return (ObjectNode) body;
    }

    private Resp putJitPolicy(Req r, String subId, String rg, String location, String name, String id) {
        ObjectNode body = bodyObject(r);
        synchronized (this) {
            if (body.hasNonNull("location") && !body.get("location").asText().equalsIgnoreCase(location)) {
                throw badRequest("location '" + body.get("location").asText()
                        + "' does not match the location in the request path '" + location + "'.");
            }
            requirePlan2(subId);
            JsonNode props = body.get("properties");
            if (props == null || !props.isObject()) {
                throw badRequest("properties is required and must be an object.");
            }
            JsonNode vms = props.get("virtualMachines");
            if (vms == null || !vms.isArray()) {
                throw badRequest("properties.virtualMachines is required and must be an array.");
            }
            for (int v = 0; v < vms.size(); v++) {
                validateJitVm(vms.get(v), "properties.virtualMachines[" + v + "]", subId, rg, location, name);
            }
            if (props.has("requests") && !props.get("requests").isNull() && !props.get("requests").isArray()) {
                throw badRequest("properties.requests must be an array.");
            }
            ObjectNode existing = resources.get(ArmId.key(id));
            ObjectNode stored = NODES.objectNode();
            stored.put("id", existing != null ? existing.get("id").asText() : id);
            stored.put("name", existing != null ? existing.path("name").asText(name) : name);
            stored.put("type", JIT_TYPE);
            stored.put("kind", body.hasNonNull("kind") ? body.get("kind").asText() : "Basic");
            stored.put("location", existing != null ? existing.path("location").asText(location) : location);
            ObjectNode storedProps = ((ObjectNode) props).deepCopy();
            storedProps.put("provisioningState", "Succeeded");
            stored.set("properties", storedProps);
            resources.put(ArmId.key(id), stored);
            raise(r, stored.get("id").asText(), false);
            return ok(stored.deepCopy());
        }
    }

    private void requirePlan2(String subId) {
        ObjectNode p = resources.get(ArmId.key("/subscriptions/" + subId + "/providers/Microsoft.Security/pricings/VirtualMachines"));
        String tier = p == null ? "Free" : p.path("properties").path("pricingTier").asText("Free");
        String subPlan = p == null ? "" : p.path("properties").path("subPlan").asText("");
        if (!tier.equalsIgnoreCase("Standard") || !subPlan.equalsIgnoreCase("P2")) {
            throw new ArmError(400, "DefenderForServersPlan2Required", "Just-in-time VM access requires Microsoft Defender"
                    + " for Servers Plan 2 on subscription '" + subId + "' (pricing VirtualMachines is pricingTier '"
                    + tier + "'" + (subPlan.isEmpty() ? "" : ", subPlan '" + subPlan + "'") + ").");
        }
    }

    private void validateJitVm(JsonNode vm, String where, String subId, String rg, String location, String policyName) {
        if (vm == null || !vm.isObject()) {
            throw badRequest(where + " must be an object.");
        }
        if (!vm.hasNonNull("id") || !vm.get("id").isTextual()) {
            throw badRequest(where + ".id is required.");
        }
        String vmId = vm.get("id").asText();
        ObjectNode stored = resources.get(ArmId.key(vmId));
        if (stored == null || !stored.path("type").asText().equalsIgnoreCase(VM_TYPE)) {
            throw badRequest(where + ".id: virtual machine '" + vmId + "' was not found.");
        }
        ArmId parsed = ArmId.parse(vmId);
        if (!parsed.subscription().equalsIgnoreCase(subId) || parsed.resourceGroup() == null
                || !parsed.resourceGroup().equalsIgnoreCase(rg)) {
            throw badRequest(where + ".id: virtual machine '" + vmId + "' must be in subscription '" + subId
                    + "' and resource group '" + rg + "', like the policy.");
        }
        String vmLocation = stored.path("location").asText("");
        if (!vmLocation.equalsIgnoreCase(location)) {
            throw badRequest(where + ".id: virtual machine '" + vmId + "' is in location '" + vmLocation
                    + "', but the policy is for location '" + location + "'.");
        }
        String vmName = parsed.name();
        if (policyName.length() + vmName.length() > 56) {
            throw badRequest(where + ".id: the policy name '" + policyName + "' (" + policyName.length()
                    + " characters) plus the virtual machine name '" + vmName + "' (" + vmName.length()
                    + " characters) exceed 56 characters.");
        }
        JsonNode ports = vm.get("ports");
        if (ports == null || !ports.isArray()) {
            throw badRequest(where + ".ports is required and must be an array.");
        }
        for (int p = 0; p < ports.size(); p++) {
            validatePort(ports.get(p), where + ".ports[" + p + "]");
        }
    }

    private static void validatePort(JsonNode port, String where) {
        if (port == null || !port.isObject()) {
            throw badRequest(where + " must be an object.");
        }
        JsonNode number = port.get("number");
        if (number == null || !number.isIntegralNumber() || number.asLong() < 0 || number.asLong() > 65535) {
            throw badRequest(where + ".number must be an integer between 0 and 65535, was " + number + ".");
        }
        JsonNode protocol = port.get("protocol");
        if (protocol == null || !protocol.isTextual() || !PROTOCOLS.contains(protocol.asText())) {
            throw badRequest(where + ".protocol must be one of TCP, UDP, *; was " + protocol + ".");
        }
        JsonNode duration = port.get("maxRequestAccessDuration");
        if (duration == null || !duration.isTextual()) {
            throw badRequest(where + ".maxRequestAccessDuration is required (an ISO-8601 duration such as PT3H).");
        }
        Duration d;
        try {
            d = Duration.parse(duration.asText());
        } catch (DateTimeParseException e) {
            throw badRequest(where + ".maxRequestAccessDuration '" + duration.asText()
                    + "' is not an ISO-8601 duration (e.g. PT3H).");
        }
        if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(MAX_DURATION) > 0) {
            throw badRequest(where + ".maxRequestAccessDuration '" + duration.asText()
                    + "' must be between 5 minutes (PT5M) and 1 day (P1D).");
        }
        JsonNode single = port.get("allowedSourceAddressPrefix");
        JsonNode many = port.get("allowedSourceAddressPrefixes");
        boolean hasSingle = single != null && !single.isNull();
        boolean hasMany = many != null && !many.isNull();
        if (hasSingle && hasMany) {
            throw badRequest(where + ": set allowedSourceAddressPrefix or allowedSourceAddressPrefixes, not both.");
        }
        if (!hasSingle && !hasMany) {
            throw badRequest(where + ": one of allowedSourceAddressPrefix or allowedSourceAddressPrefixes is required.");
        }
        if (hasSingle && (!single.isTextual() || single.asText().isBlank())) {
            throw badRequest(where + ".allowedSourceAddressPrefix must be a non-empty string.");
        }
        if (hasMany) {
            boolean ok = many.isArray() && many.size() > 0;
            if (ok) {
                for (JsonNode n : many) {
                    ok &= n.isTextual() && !n.asText().isBlank();
                }
            }
            if (!ok) {
                throw badRequest(where + ".allowedSourceAddressPrefixes must be a non-empty array of strings.");
            }
        }
    }

    private Resp putAssignment(Req r, String id, String name) {
        ObjectNode body = bodyObject(r);
        JsonNode props = body.get("properties");
        if (props == null || !props.isObject()) {
            throw new ArmError(400, "InvalidRequestContent", "properties is required and must be an object.");
        }
        JsonNode def = props.get("policyDefinitionId");
        if (def == null || !def.isTextual() || def.asText().isBlank()) {
            throw new ArmError(400, "InvalidRequestContent", "properties.policyDefinitionId is required.");
        }
        JsonNode params = props.get("parameters");
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw new ArmError(400, "InvalidPolicyParameters", "properties.parameters must be an object.");
            }
            for (var it = params.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isObject() || !e.getValue().has("value")) {
                    throw new ArmError(400, "InvalidPolicyParameters", "properties.parameters." + e.getKey()
                            + " must be an object with a 'value'.");
                }
                if (e.getKey().equals("jitNetworkAccessMonitoringEffect")) {
                    JsonNode v = e.getValue().get("value");
                    if (!v.isTextual() || !MONITORING_EFFECTS.contains(v.asText())) {
                        throw new ArmError(400, "InvalidPolicyParameters",
                                "properties.parameters.jitNetworkAccessMonitoringEffect: value " + v
                                        + " is not allowed; allowed values are AuditIfNotExists, Disabled.");
                    }
                }
            }
        }
        synchronized (this) {
            ObjectNode existing = resources.get(ArmId.key(id));
            ObjectNode stored = NODES.objectNode();
            stored.put("id", existing != null ? existing.get("id").asText() : id);
            stored.put("name", existing != null ? existing.path("name").asText(name) : name);
            stored.put("type", ASSIGNMENT_TYPE);
            if (body.has("location")) {
                stored.set("location", body.get("location").deepCopy());
            }
            if (body.has("identity")) {
                stored.set("identity", body.get("identity").deepCopy());
            }
            stored.set("properties", props.deepCopy());
            resources.put(ArmId.key(id), stored);
            raise(r, stored.get("id").asText(), false);
            return new Resp(existing == null ? 201 : 200, stored.deepCopy());
        }
    }

    private Resp delete(Req r, String id, boolean returnBody) {
        ObjectNode removed;
        synchronized (this) {
            removed = resources.remove(ArmId.key(id));
        }
        raise(r, removed != null ? removed.get("id").asText() : id, true);
        if (removed == null) {
            return new Resp(204, null);
        }
        return new Resp(200, returnBody ? removed : null);
    }

    private static String lc(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Blocks until interrupted (for the CLI). */
    void awaitTermination() throws InterruptedException {
        while (!executor.isShutdown()) {
            executor.awaitTermination(1, TimeUnit.HOURS);
        }
    }
}
