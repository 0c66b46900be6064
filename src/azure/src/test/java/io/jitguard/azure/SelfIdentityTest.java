package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelfIdentityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OID = "0000aaaa-0000-4000-8000-00000000a11e";
    static final String APP = "0000bbbb-0000-4000-8000-00000000a11e";

    static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    static ObjectNode claims(Map<String, String> values) {
        ObjectNode node = JSON.createObjectNode();
        values.forEach(node::put);
        return node;
    }

    @Test
    void readsTheObjectAndApplicationIdsOfAnAccessToken() {
        SelfIdentity self = SelfIdentity.fromAccessToken(jwt("{\"oid\":\"" + OID + "\",\"appid\":\"" + APP + "\"}"));

        assertThat(self.objectId()).contains(OID);
        assertThat(self.appId()).contains(APP);
        assertThat(self.toString()).doesNotContain("c2lnbmF0dXJl");
    }

    @Test
    void matchesArmsLongClaimNamesCaseInsensitively() {
        SelfIdentity self = SelfIdentity.of(OID, APP);

        assertThat(self.matches(claims(Map.of(SelfIdentity.OID_LONG, OID.toUpperCase())))).isTrue();
        assertThat(self.matches(claims(Map.of("oid", OID)))).isTrue();
        assertThat(self.matches(claims(Map.of("appid", APP)))).as("no object id in the claims: appid decides")
                .isTrue();
        assertThat(self.matches(claims(Map.of(SelfIdentity.OID_LONG, "11112222-3333-4444-5555-666677778888",
                "appid", APP)))).as("another principal of the same app").isFalse();
        assertThat(self.matches(claims(Map.of("name", "Dana")))).isFalse();
        assertThat(self.matches(null)).isFalse();
    }

    @Test
    void aTokenThatIsNotAJwtMeansNobody() {
        for (String token : new String[] {"test-token", "a.b.c", "", null, jwt("[1]"), jwt("{}")}) {
            SelfIdentity self = SelfIdentity.fromAccessToken(token);
            assertThat(self.known()).as(String.valueOf(token)).isFalse();
            assertThat(self.matches(claims(Map.of("oid", OID)))).isFalse();
        }
    }

    @Test
    void theStaticArmTokenSettingIsUsedWhenSet() {
        SelfIdentity self = SelfIdentity.fromEnvironment(Map.of("JITGUARD_ARM_TOKEN",
                jwt("{\"oid\":\"" + OID + "\"}")));
        assertThat(self.objectId()).contains(OID);
    }
}
