package io.jitguard.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.jitguard.baseline.Settings;
import io.jitguard.baseline.SettingsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Builds the {@link SdkArm} the app uses from its settings. */
public final class ArmConnection {
    public static final String DEFAULT_ENDPOINT = "https://management.azure.com/";

    private ArmConnection() {
    }

    /**
     * {@code JITGUARD_ARM_ENDPOINT} (default {@value #DEFAULT_ENDPOINT}; an absolute https URL) and
     * {@code JITGUARD_ARM_TOKEN} (a static bearer token for emulators; otherwise {@code DefaultAzureCredential}:
     * managed identity in Azure, the developer's login on a laptop).
     *
     * @throws SettingsException naming the setting when a value is malformed
     */
    public static SdkArm fromSettings(Map<String, String> env) {
        return fromSettings(env, ArmOptions.DEFAULT);
    }

    public static SdkArm fromSettings(Map<String, String> env, ArmOptions options) {
        URI endpoint = endpoint(env);
        String token = env.get(Settings.ARM_TOKEN);
        TokenCredential credential;
        if (token != null) {
            if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new SettingsException(Settings.ARM_TOKEN, "is set but is not a bearer token");
            }
            credential = staticToken(token);
        } else {
            credential = new DefaultAzureCredentialBuilder().build();
        }
        return SdkArm.create(endpoint, credential, options);
    }

    /** The validated endpoint, always ending in {@code /}. */
    public static URI endpoint(Map<String, String> env) {
        String raw = env.getOrDefault(Settings.ARM_ENDPOINT, "");
        if (raw == null || raw.isBlank()) {
            raw = DEFAULT_ENDPOINT;
        }
        raw = raw.strip();
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new SettingsException(Settings.ARM_ENDPOINT, "is not a URL: " + raw);
        }
        try {
            return SdkArm.normalize(uri);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(Settings.ARM_ENDPOINT, "must be an absolute https URL: " + raw);
        }
    }

    /** A credential that always returns the given token (with a far expiry); its value is never logged. */
    public static TokenCredential staticToken(String token) {
        return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusYears(1)));
    }
}
