package io.jitguard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.emulator.ArmEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Arm} port over real HTTPS to the emulator, for core's tests of the reader and the pipeline (core cannot
 * see the SDK adapter of src/azure; that adapter's retries, budgets and paging guards are tested there). No retries:
 * a fault the emulator is told to answer is the answer. Counts each request like the adapter (each page is a read).
 */
public final class EmulatorArm implements Arm {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;
    private final io.jitguard.arm.CallCounter counter = new io.jitguard.arm.CallCounter();

    private EmulatorArm(String endpoint) {
        this.base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }

    public static EmulatorArm of(ArmEmulator emulator) {
        return new EmulatorArm(emulator.endpoint());
    }

    @Override
    public JsonNode get(ArmOperation operation, String path) {
        count(0);
        return send("GET", url(operation, path), null, path);
    }

    @Override
    public List<JsonNode> list(ArmOperation operation, String path) {
        List<JsonNode> items = new ArrayList<>();
        String url = url(operation, path);
        while (url != null) {
            count(0);
            JsonNode body = send("GET", url, null, path);
            body.path("value").forEach(items::add);
            String next = body.path("nextLink").asText("");
            url = next.isEmpty() ? null : next;
        }
        return items;
    }

    @Override
    public JsonNode put(ArmOperation operation, String path, JsonNode body) {
        count(1);
        return send("PUT", url(operation, path), body.toString(), path);
    }

    @Override
    public List<JsonNode> postPages(ArmOperation operation, String path) {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        do {
            count(0); // a POST that only reads, counted as SdkArm counts it
            com.fasterxml.jackson.databind.node.ObjectNode request = JSON.createObjectNode();
            if (token != null) {
                request.put("skipToken", token);
            }
            JsonNode body = send("POST", url(operation, path), request.toString(), path);
            body.path("value").forEach(items::add);
            token = body.path("skipToken").asText("");
        } while (!token.isEmpty());
        return items;
    }

    @Override
    public ArmCalls calls() {
        return counter.calls();
    }

    @Override
    public ArmCalls callsOnThisThread() {
        return counter.callsOnThisThread();
    }

    /** As the adapter: the work's calls count as the calling thread's. */
    @Override
    public <T> java.util.function.Supplier<T> onBehalfOfThisThread(java.util.function.Supplier<T> work) {
        return counter.onBehalfOfThisThread(work);
    }

    private void count(int kind) {
        if (kind == 0) {
            counter.read();
        } else {
            counter.write();
        }
    }

    private String url(ArmOperation operation, String path) {
        return base + operation.requestPath(path);
    }

    private static JsonNode send(String method, String url, String body, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer test-token").header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ArmException(0, "ConnectionFailed", method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(0, "Interrupted", method + " " + path + ": interrupted", e);
        }
        JsonNode node = parse(response.body());
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return node;
        }
        JsonNode error = node.has("error") ? node.path("error") : node;
        String code = error.path("code").asText("Http" + response.statusCode());
        String message = method + " " + path + " failed: " + response.statusCode() + " " + code
                + (error.path("message").isTextual() ? ": " + error.path("message").asText() : "");
        Duration retryAfter = response.headers().firstValue("Retry-After").filter(s -> s.trim().matches("\\d+"))
                .map(s -> Duration.ofSeconds(Long.parseLong(s.trim()))).orElse(null);
        throw new ArmException(response.statusCode(), code, message, null, retryAfter);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
