package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.jitguard.baseline.SettingsException;
import io.jitguard.report.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who may call the HTTP functions. Infra puts App Service Authentication (Entra ID) in front of the app and sets
 * {@value #REQUIRE_PRINCIPAL}{@code =true}: the platform then refuses unauthenticated calls with 401 before a function
 * runs, and hands each authenticated one the header {@value #PRINCIPAL_HEADER} (base64 JSON with the token's claims),
 * which it strips from what clients send. Here, with the setting on, a call without a readable principal is 401 (never
 * trusted), and the principal's app roles decide: {@value #REMEDIATE_ROLE} may fix (and read), {@value #READ_ROLE}
 * may read; else 403. The function key stays required as a second factor (auth level FUNCTION).
 *
 * <p>With the setting off (a laptop, or an app without authentication) any caller could send that header, so it is
 * never believed: no role is checked beyond the function key, and the decision log says {@code caller unverified}.
 */
final class HttpAccess {
    static final String REQUIRE_PRINCIPAL = io.jitguard.baseline.Settings.REQUIRE_PRINCIPAL;
    static final String PRINCIPAL_HEADER = "x-ms-client-principal";
    static final String REMEDIATE_ROLE = "Jitguard.Remediate";
    static final String READ_ROLE = "Jitguard.Read";
    static final String UNVERIFIED = "caller unverified (function key only)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HEADER_CHARS = 64 * 1024;
    private static final List<String> ROLE_CLAIMS = List.of("roles",
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/role");
    private static final List<String> NAME_CLAIMS = List.of("preferred_username", "name",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn", "email");
    private static final List<String> APP_CLAIMS = List.of("azp", "appid");
    private static final List<String> OID_CLAIMS = List.of("http://schemas.microsoft.com/identity/claims/objectidentifier",
            "oid");

    /** What a function needs of its caller. */
    enum Need {
        /** {@code /api/coverage}: {@value #READ_ROLE} or {@value #REMEDIATE_ROLE}. */
        READ,
        /** {@code /api/remediate}: {@value #REMEDIATE_ROLE}. */
        REMEDIATE
    }

    /**
     * The verdict on one call.
     *
     * @param actor  who called, for the decision log: {@code <name> (platform-validated)} or {@link #UNVERIFIED}
     * @param status null when the call may go on; else 401, 403 or 500 with {@code reason}
     */
    record Verdict(String actor, HttpStatus status, String reason) {
        boolean allowed() {
            return status == null;
        }
    }

    private HttpAccess() {
    }

    /** Parses {@value #REQUIRE_PRINCIPAL}: {@code true} or {@code false} (absent or blank = false). */
    static boolean requirePrincipal(String raw) {
        if (raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (raw.strip().equalsIgnoreCase("true")) {
            return true;
        }
        throw new SettingsException(REQUIRE_PRINCIPAL, "\"" + SafeText.oneLine(raw.strip())
                + "\" is neither true nor false");
    }

    static Verdict check(String requireSetting, HttpRequestMessage<?> request, Need need) {
        boolean required;
        try {
            required = requirePrincipal(requireSetting);
        } catch (SettingsException e) {
            return new Verdict(UNVERIFIED, HttpStatus.INTERNAL_SERVER_ERROR,
                    "jitguard is misconfigured: " + e.getMessage());
        }
        if (!required) {
            return new Verdict(UNVERIFIED, null, null);
        }
        Principal principal = principal(header(request, PRINCIPAL_HEADER));
        if (principal == null) {
            return new Verdict("no validated principal", HttpStatus.UNAUTHORIZED, "authentication required: no "
                    + "principal validated by App Service Authentication came with the call (" + REQUIRE_PRINCIPAL
                    + " is on)");
        }
        String actor = principal.name() + " (platform-validated)";
        boolean may = principal.roles().contains(REMEDIATE_ROLE.toLowerCase(Locale.ROOT))
                || (need == Need.READ && principal.roles().contains(READ_ROLE.toLowerCase(Locale.ROOT)));
        if (!may) {
            String wanted = need == Need.READ ? READ_ROLE + " or " + REMEDIATE_ROLE : REMEDIATE_ROLE;
            return new Verdict(actor, HttpStatus.FORBIDDEN, principal.name() + " lacks the app role " + wanted);
        }
        return new Verdict(actor, null, null);
    }

    /** The actor of a call for the decision log, without deciding access. */
    static String actor(String requireSetting, HttpRequestMessage<?> request) {
        Verdict v = check(requireSetting, request, Need.READ);
        return v.actor();
    }

    private record Principal(String name, Set<String> roles) {
    }

    /** The decoded principal, or null when the header is absent or not the platform's base64 JSON. */
    private static Principal principal(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_HEADER_CHARS) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(Base64.getDecoder().decode(header.strip()), StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
        if (root == null || !root.path("claims").isArray()) {
            return null;
        }
        String roleType = root.path("role_typ").asText("");
        String nameType = root.path("name_typ").asText("");
        Set<String> roles = new LinkedHashSet<>();
        String name = null;
        String app = null;
        String oid = null;
        for (JsonNode claim : root.path("claims")) {
            String typ = claim.path("typ").asText("");
            String val = claim.path("val").asText("");
            if (val.isBlank()) {
                continue;
            }
            if (typ.equalsIgnoreCase(roleType) || ROLE_CLAIMS.stream().anyMatch(typ::equalsIgnoreCase)) {
                roles.add(val.strip().toLowerCase(Locale.ROOT));
            }
            if (name == null && (typ.equalsIgnoreCase(nameType) || NAME_CLAIMS.stream().anyMatch(typ::equalsIgnoreCase))) {
                name = val;
            }
            if (app == null && APP_CLAIMS.stream().anyMatch(typ::equalsIgnoreCase)) {
                app = val;
            }
            if (oid == null && OID_CLAIMS.stream().anyMatch(typ::equalsIgnoreCase)) {
                oid = val;
            }
        }
        String who = name != null ? name : app != null ? "app " + app : oid != null ? "object " + oid : null;
        if (who == null) {
            return null;
        }
        who = SafeText.oneLine(who.strip());
        return new Principal(who.length() > 120 ? who.substring(0, 120) + "…" : who, Set.copyOf(roles));
    }

    private static String header(HttpRequestMessage<?> request, String name) {
        Map<String, String> headers = request.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
