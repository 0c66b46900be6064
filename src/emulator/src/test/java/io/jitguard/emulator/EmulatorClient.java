package io.jitguard.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A tiny java.net.http client for the emulator, trusting exactly its certificate (hostname verification on). */
final class EmulatorClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String A = "11111111-1111-1111-1111-111111111111";
    static final String B = "22222222-2222-2222-2222-222222222222";
    static final String C = "33333333-3333-3333-3333-333333333333";
    static final String TOKEN = "opaque-test-token-do-not-leak";

    final ArmEmulator emulator;
    final HttpClient http;
    String token = TOKEN;

    EmulatorClient(ArmEmulator emulator) {
        this.emulator = emulator;
        this.http = HttpClient.newBuilder().sslContext(EmulatorTls.clientContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Path exampleEstate() {
        Path p = Paths.get("examples", "estate.json");
        return p;
    }

    static ArmEmulator startExample() {
        return ArmEmulator.start(Estate.load(exampleEstate()), 0);
    }

    String url(String pathAndQuery) {
        String base = emulator.endpoint();
        return base.substring(0, base.length() - 1) + pathAndQuery;
    }

    HttpResponse<String> send(String method, String pathOrUrl, String body) throws IOException, InterruptedException {
        String url = pathOrUrl.startsWith("https://") ? pathOrUrl : url(pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    HttpResponse<String> put(String path, JsonNode body) throws IOException, InterruptedException {
        return send("PUT", path, body.toString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static ObjectNode obj(String json) {
        try {
            return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
