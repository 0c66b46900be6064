package io.jitguard.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.events.Claims;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * jitguard's own principal, recognised in the {@code data.claims} of the events its writes raise, so those events cost
 * no ARM calls. Taken from the (unverified) JWT payload of an access token of the same credential jitguard calls ARM
 * with: {@code JITGUARD_ARM_TOKEN} when set, else azure-identity's default credential for the ARM scope. Only the
 * {@code oid} and {@code appid} claims are kept; the token itself is never stored or logged.
 */
public final class SelfIdentity {
    /** The claim name ARM puts in {@code data.claims} for the object id (long form); names are read by {@link Claims}. */
    static final String OID_LONG = Claims.OBJECT_ID_LONG;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SelfIdentity UNKNOWN = new SelfIdentity(null, null);

    private final String objectId;
    private final String appId;

    private SelfIdentity(String objectId, String appId) {
        this.objectId = blankToNull(objectId);
        this.appId = blankToNull(appId);
    }

    public static SelfIdentity of(String objectId, String appId) {
        return new SelfIdentity(objectId, appId);
    }

    /** Nobody: no event is taken for jitguard's own. */
    public static SelfIdentity unknown() {
        return UNKNOWN;
    }

    /**
     * From the credential jitguard uses. Never throws: when no token can be had (no credential yet, a token that is
     * not a JWT) the identity is {@link #unknown()} and every event is reconciled, which is safe (level-triggered:
     * our own writes converge to "nothing to do"), only not free.
     */
    public static SelfIdentity fromEnvironment(Map<String, String> env) {
        try {
            return ArmSettings.parse(env).self();
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** From a token of {@code credential} for ARM at {@code endpoint}; {@link #unknown()} when none can be had. */
    static SelfIdentity fromCredential(TokenCredential credential, java.net.URI endpoint) {
        try {
            String base = endpoint.toString();
            String scope = (base.endsWith("/") ? base : base + "/") + ".default";
            AccessToken access = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
            return access == null ? UNKNOWN : fromAccessToken(access.getToken());
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The {@code oid} / {@code appid} (or {@code azp}) claims of a JWT's payload, unverified. */
    public static SelfIdentity fromAccessToken(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length < 2) {
            return UNKNOWN;
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1].replace("=", "")
                    .replace('+', '-').replace('/', '_')));
            if (payload == null || !payload.isObject()) {
                return UNKNOWN;
            }
            Claims claims = Claims.of(payload);
            return new SelfIdentity(claims.objectId().orElse(null), claims.appId().orElse(null));
        } catch (IOException | IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** True when the claims of an event name this principal (object id first, then application id). */
    public boolean matches(JsonNode claims) {
        return isActor(Claims.of(claims));
    }

    /** True when these claims name this principal (object id first, then application id), case-insensitively. */
    public boolean isActor(Claims claims) {
        if (claims == null || (objectId == null && appId == null)) {
            return false;
        }
        String oid = blankToNull(claims.objectId().orElse(null));
        if (objectId != null && oid != null) {
            return objectId.equals(oid);
        }
        String app = blankToNull(claims.appId().orElse(null));
        return appId != null && app != null && appId.equals(app);
    }

    public boolean known() {
        return objectId != null || appId != null;
    }

    public Optional<String> objectId() {
        return Optional.ofNullable(objectId);
    }

    public Optional<String> appId() {
        return Optional.ofNullable(appId);
    }

    @Override
    public String toString() {
        return known() ? "SelfIdentity[oid=" + objectId + ", appid=" + appId + "]" : "SelfIdentity[unknown]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
    }
}
