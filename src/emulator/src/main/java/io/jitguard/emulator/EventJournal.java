package io.jitguard.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Event Grid events the Azure subscription system topic would raise for each successful write or delete
 * ({@code Microsoft.Resources.ResourceWriteSuccess} / {@code ResourceDeleteSuccess}, Event Grid schema). Thread-safe.
 * The bearer token is never stored: only its JWT claims (or a short hash) are kept.
 */
final class EventJournal {
    private static final Pattern JWT_PART = Pattern.compile("[A-Za-z0-9_-]+={0,2}");

    private final String tenantId;
    private final List<ObjectNode> events = new ArrayList<>();

    EventJournal(String tenantId) {
        this.tenantId = tenantId;
    }

    /** Records the event ARM raises for a successful write ({@code delete=false}) or delete of {@code resourceId}. */
    void raise(ArmHttp.Req r, String resourceId, boolean delete) {
        String eventType = delete ? ArmEmulator.DELETE_SUCCESS : ArmEmulator.WRITE_SUCCESS;
        ObjectNode e = event(resourceId, operationName(resourceId, delete), eventType, claims(r.token), tenantId,
                r.method, r.url, r.clientRequestId, r.correlationId);
        synchronized (events) {
            events.add(e);
        }
    }

    List<ObjectNode> snapshot() {
        synchronized (events) {
            List<ObjectNode> out = new ArrayList<>(events.size());
            events.forEach(e -> out.add(e.deepCopy()));
            return out;
        }
    }

    void clear() {
        synchronized (events) {
            events.clear();
        }
    }

    static String operationName(String resourceId, boolean delete) {
        return ArmId.parse(resourceId).type() + (delete ? "/delete" : "/write");
    }

    static ObjectNode event(String resourceId, String operationName, String eventType, ObjectNode claims,
            String tenantId, String method, String url, String clientRequestId, String correlationId) {
        String sub = subscriptionOf(resourceId);
        String provider = operationName.contains("/") ? operationName.substring(0, operationName.indexOf('/')) : "";
        ObjectNode e = ArmHttp.NODES.objectNode();
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

    /** JWT payload claims, or {@code {"appid": <8 hex of sha-256(token)>}}; never the token itself. */
    static ObjectNode claims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3 && JWT_PART.matcher(parts[0]).matches() && JWT_PART.matcher(parts[1]).matches()) {
            try {
                JsonNode payload = Estate.JSON.readTree(Base64.getUrlDecoder().decode(parts[1].replace("=", "")));
                if (payload != null && payload.isObject()) {
                    return (ObjectNode) payload;
                }
            } catch (IOException | IllegalArgumentException ignored) {
                // not a JWT after all
            }
        }
        ObjectNode c = ArmHttp.NODES.objectNode();
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
}
