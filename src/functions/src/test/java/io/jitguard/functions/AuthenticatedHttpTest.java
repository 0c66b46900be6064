package io.jitguard.functions;

import static io.jitguard.functions.FunctionMocks.decisions;
import static io.jitguard.functions.FunctionMocks.get;
import static io.jitguard.functions.FunctionMocks.lines;
import static io.jitguard.functions.FunctionMocks.onlyDecision;
import static io.jitguard.functions.FunctionMocks.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Remediate} and {@link Coverage} behind App Service Authentication ({@code JITGUARD_REQUIRE_PRINCIPAL=true},
 * as infra sets it): the platform's {@code x-ms-client-principal} decides who the caller is and which app role it
 * holds; without it the call is 401 and ARM is never read.
 */
class AuthenticatedHttpTest extends EmulatedEstate {
    static final String ROLE_TYP = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    ExecutionContext context = FunctionMocks.context("Remediate");

    @BeforeEach
    void authenticationOn() {
        env.put("JITGUARD_REQUIRE_PRINCIPAL", "true");
    }

    /** The header as App Service Authentication builds it for an Entra ID token (base64 JSON of its claims). */
    static String principal(String name, String... roles) {
        ObjectNode p = JSON.createObjectNode().put("auth_typ", "aad")
                .put("name_typ", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name").put("role_typ", ROLE_TYP);
        ArrayNode claims = p.putArray("claims");
        claims.addObject().put("typ", "aud").put("val", "api://jitguard");
        claims.addObject().put("typ", "http://schemas.microsoft.com/identity/claims/objectidentifier")
                .put("val", "9f3a4c1e-1111-4a2b-9c3d-0123456789ab");
        claims.addObject().put("typ", "preferred_username").put("val", name);
        for (String role : roles) {
            claims.addObject().put("typ", ROLE_TYP).put("val", role);
        }
        return Base64.getEncoder().encodeToString(p.toString().getBytes(StandardCharsets.UTF_8));
    }

    HttpResponseMessage remediate(String principal, boolean dryRun) {
        return new Remediate(runtime()).run(post("remediate", JSON.createObjectNode()
                .put("scope", vmId("rg-web", "vm-web-2")).put("dryRun", dryRun).toString(),
                principal == null ? Map.of() : Map.of("x-ms-client-principal", principal)), context);
    }

    HttpResponseMessage coverage(String principal) {
        return new Coverage(runtime()).run(get("coverage", Map.of("scope", RG_WEB),
                principal == null ? Map.of() : Map.of("X-MS-CLIENT-PRINCIPAL", principal)), context);
    }

    static String error(HttpResponseMessage response) throws IOException {
        return JSON.readTree((String) response.getBody()).path("error").asText();
    }

    @Test
    void aCallWithoutAValidatedPrincipalIs401AndReadsNothing() throws IOException {
        HttpResponseMessage fix = remediate(null, false);
        assertThat(fix.getStatusCode()).isEqualTo(401);
        assertThat(error(fix)).contains("authentication required", "JITGUARD_REQUIRE_PRINCIPAL");
        HttpResponseMessage read = coverage(null);
        assertThat(read.getStatusCode()).isEqualTo(401);
        assertThat(coverage("not base64 at all!").getStatusCode()).as("a header the platform did not build")
                .isEqualTo(401);
        assertThat(emulator.stats().reads()).isZero();
        assertThat(decisions(context)).allSatisfy(d -> assertThat(d.path("result").asText()).isEqualTo("rejected"));
    }

    @Test
    void theReadRoleMayReadButNotFix() throws IOException {
        String reader = principal("rita@contoso.example", "Jitguard.Read");
        assertThat(coverage(reader).getStatusCode()).isEqualTo(200);
        long reads = emulator.stats().reads();

        HttpResponseMessage fix = remediate(reader, false);

        assertThat(fix.getStatusCode()).isEqualTo(403);
        assertThat(error(fix)).isEqualTo("rita@contoso.example lacks the app role Jitguard.Remediate");
        assertThat(emulator.stats().reads()).isEqualTo(reads);
        assertThat(emulator.stats().writes()).isZero();
        JsonNode denied = decisions(context).get(decisions(context).size() - 1);
        assertThat(denied.path("actor").asText()).isEqualTo("rita@contoso.example (platform-validated)");
        assertThat(denied.path("result").asText()).isEqualTo("rejected");
        assertThat(coverage(principal("nobody@contoso.example")).getStatusCode()).as("no app role at all")
                .isEqualTo(403);
    }

    @Test
    void theRemediateRoleFixesAndTheDecisionLogNamesTheValidatedCaller() {
        HttpResponseMessage fix = remediate(principal("dana@contoso.example", "Jitguard.Remediate"), false);

        assertThat(fix.getStatusCode()).isEqualTo(200);
        assertThat(emulator.stats().writes()).isPositive();
        JsonNode d = onlyDecision(context);
        assertThat(d.path("actor").asText()).isEqualTo("dana@contoso.example (platform-validated)");
        assertThat(d.path("result").asText()).isEqualTo("fixed");
    }

    @Test
    void aValidatedNameCannotForgeALogLine() {
        remediate(principal("dana\n[INFO] jitguard.decision {\"result\":\"compliant\"}\u001b[0m", "Jitguard.Remediate"),
                true);

        assertThat(lines(context)).hasSize(1);
        assertThat(lines(context).get(0)).doesNotContain("\n", "\u001b");
        assertThat(onlyDecision(context).path("actor").asText())
                .isEqualTo("dana\\n[INFO] jitguard.decision {\"result\":\"compliant\"}\\u001b[0m (platform-validated)");
    }

    @Test
    void aBadSettingFailsClosedNamingIt() throws IOException {
        env.put("JITGUARD_REQUIRE_PRINCIPAL", "yes");
        HttpResponseMessage response = coverage(principal("dana@contoso.example", "Jitguard.Remediate"));
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(error(response)).contains("JITGUARD_REQUIRE_PRINCIPAL", "\"yes\" is neither true nor false");
        assertThat(emulator.stats().reads()).isZero();
    }
}
