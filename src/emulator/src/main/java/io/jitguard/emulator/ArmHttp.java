package io.jitguard.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** ARM's HTTP conventions shared by the emulator's parts: a parsed request, a response, ARM's error shape. */
final class ArmHttp {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ArmHttp() {
    }

    /** One parsed request; {@code segs} are percent-decoded path segments, {@code lower} the same lower-cased. */
    static final class Req {
        String method;
        String rawPath;
        List<String> segs = new ArrayList<>();
        List<String> lower = new ArrayList<>();
        Map<String, String> query = new LinkedHashMap<>();
        byte[] body;
        String token;
        /** Set for counted ARM requests: lands in {@link ArmEmulator#send} before the answer goes out. */
        EmulatorStats.Flight flight;
        /** {@code https://<Host header>}: absolute URLs the emulator returns name the host the client used. */
        String origin;
        String url;
        String clientRequestId;
        String correlationId;

        String query(String name) {
            return query.get(name.toLowerCase(Locale.ROOT));
        }

        String apiVersion() {
            return query("api-version");
        }
    }

    /**
     * The origin a client reached us at, from its {@code Host} header (ARM's links name the host the request was
     * sent to), or {@code https://localhost:<port>} when the header is missing or not a plain {@code host[:port]}.
     */
    static String origin(String hostHeader, int port) {
        if (hostHeader != null && hostHeader.matches("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]{1,253})(:[0-9]{1,5})?")) {
            return "https://" + hostHeader;
        }
        return "https://localhost:" + port;
    }

    /** A response. */
    record Resp(int status, JsonNode body, Map<String, String> headers) {
        Resp(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    /** An ARM error response: {@code {"error":{"code","message"[,"details"]}}}. */
    static final class ArmError extends RuntimeException {
        final int status;
        final String code;
        final JsonNode details;

        ArmError(int status, String code, String message) {
            this(status, code, message, null);
        }

        ArmError(int status, String code, String message, JsonNode details) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.details = details;
        }

        ObjectNode body() {
            ObjectNode b = errorBody(code, getMessage());
            if (details != null) {
                ((ObjectNode) b.get("error")).set("details", details);
            }
            return b;
        }
    }

    static ArmError badRequest(String message) {
        return new ArmError(400, "BadRequest", message);
    }

    static ObjectNode errorBody(String code, String message) {
        ObjectNode body = NODES.objectNode();
        ObjectNode e = body.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return body;
    }

    static Resp ok(JsonNode body) {
        return new Resp(200, body);
    }

    static void requireRead(Req r) {
        if (!r.method.equals("GET") && !r.method.equals("HEAD")) {
            throw methodNotAllowed(r);
        }
    }

    static ArmError methodNotAllowed(Req r) {
        return new ArmError(405, "MethodNotAllowed", "The requested resource does not support http method '" + r.method
                + "'.");
    }

    static ArmError invalidType(Req r, String ns, String typeKey) {
        String type = typeKey.contains("/") ? typeKey.substring(typeKey.indexOf('/') + 1) : typeKey;
        return new ArmError(400, "InvalidResourceType", "The resource type '" + type
                + "' could not be found in the namespace '" + ns + "' for api version '" + r.apiVersion()
                + "' (or this route is not served by the jitguard ARM emulator).");
    }

    static ArmError noRoute(Req r) {
        return new ArmError(404, "NotFound", "No HTTP resource was found that matches the request URI '" + r.rawPath
                + "'.");
    }

    static String lc(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
