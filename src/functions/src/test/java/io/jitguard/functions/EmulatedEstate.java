package io.jitguard.functions;

import io.jitguard.testing.ExampleEstate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.Estate;
import io.jitguard.runtime.Jitguard;
import io.jitguard.runtime.JitguardConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The ARM emulator over HTTPS on the example estate (drift included), and the settings a function app would carry to
 * reach it. jitguard's token is an unsigned JWT naming its own principal, so the events its writes raise carry it.
 */
abstract class EmulatedEstate {
    static final String PROD = ExampleEstate.PROD;
    static final String DEV = ExampleEstate.DEV;
    static final String SHARED = ExampleEstate.SHARED;
    static final String TENANT = ExampleEstate.TENANT;
    static final String RG_WEB = ExampleEstate.RG_WEB;
    static final String POLICY = ExampleEstate.POLICY;
    static final String ASSIGNMENT = ExampleEstate.ASSIGNMENT;
    static final String SELF_OID = "0000aaaa-0000-4000-8000-00000000a11e";
    static final String SELF_APPID = "0000bbbb-0000-4000-8000-00000000a11e";
    static final String UPN_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    static final String OID_CLAIM = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The engine's clock in a test that injects one: a fixed instant. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    ArmEmulator emulator;
    Map<String, String> env;

    @BeforeEach
    void startEmulator() {
        emulator = ArmEmulator.start(Estate.load(Path.of("examples/estate.json")), 0);
        env = new HashMap<>(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(),
                "JITGUARD_ARM_TOKEN", token(SELF_OID, SELF_APPID, "jitguard")));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    /** The runtime the host would build from these settings. */
    FunctionsRuntime runtime() {
        return FunctionsRuntime.fromEnvironment(env);
    }

    /**
     * As {@link #runtime()}, with one engine for every trigger (the event engine's ARM options, the configured locks)
     * whose clock is {@code clock}: a test that hands {@link OnResourceEvent} a clock gives the engine one too.
     */
    FunctionsRuntime runtime(Clock clock) {
        FunctionsRuntime fromSettings = runtime();
        return FunctionsRuntime.of(() -> Jitguard.builder(JitguardConfig.parse(env))
                .armOptions(FunctionsRuntime.EVENT_ARM_OPTIONS).clock(clock).build(), fromSettings::self);
    }

    static String token(String oid, String appId, String name) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode payload = JSON.createObjectNode().put("aud", "https://management.azure.com/").put("oid", oid)
                .put("appid", appId).put("name", name).put("tid", TENANT);
        return header + "." + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    static String vmId(String rg, String name) {
        return ExampleEstate.vmId(rg, name);
    }

    static String vmId(String sub, String rg, String name) {
        return ExampleEstate.vmId(sub, rg, name);
    }

    /** Claims as ARM puts them for a person who signed in to the portal. */
    static Map<String, Object> person() {
        return Map.of("name", "Dana Operator", UPN_CLAIM, "dana@contoso.example",
                "appid", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", OID_CLAIM, "9f3a4c1e-1111-4a2b-9c3d-0123456789ab");
    }

    /** An Event Grid schema event of the subscription system topic, with the documented data fields. */
    static ObjectNode event(String resourceId, String operation, String eventType, Map<String, Object> claims) {
        return ArmEmulator.resourceEvent(resourceId, operation, eventType, claims, TENANT);
    }

    /** The same event in the CloudEvents 1.0 schema (an event subscription configured for CloudEvents). */
    static ObjectNode cloudEvent(String resourceId, String operation, String eventType, Map<String, Object> claims) {
        ObjectNode eg = event(resourceId, operation, eventType, claims);
        ObjectNode ce = JSON.createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("type", eventType);
        ce.put("source", eg.path("topic").asText());
        ce.put("id", eg.path("id").asText());
        ce.put("time", eg.path("eventTime").asText());
        ce.put("subject", resourceId);
        ce.put("datacontenttype", "application/json");
        ce.set("data", eg.path("data"));
        return ce;
    }

    JsonNode resource(String id) {
        return emulator.resource(id).orElseThrow(() -> new AssertionError("no resource " + id));
    }

    static List<String> ports(JsonNode policy, String vmName) {
        return ExampleEstate.ports(policy, vmName);
    }

    static String status(JsonNode report, String vmName) {
        return ExampleEstate.status(report, vmName);
    }
}
