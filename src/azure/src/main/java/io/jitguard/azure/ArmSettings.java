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

/**
 * Where ARM is and how jitguard signs in, validated once: {@code JITGUARD_ARM_ENDPOINT} (default
 * {@value #DEFAULT_ENDPOINT}; an absolute https URL, always ending in {@code /}) and {@code JITGUARD_ARM_TOKEN} (a
 * static bearer token for emulators; otherwise {@code DefaultAzureCredential}: managed identity in Azure, the
 * developer's login on a laptop) and {@code JITGUARD_ARM_CA_FILE} (extra CA certificates, PEM, trusted beside the
 * JVM's own: {@link ArmTrust}). The token never appears in {@link #toString()}.
 */
public final class ArmSettings {
    public static final String DEFAULT_ENDPOINT = "https://management.azure.com/";

    private final URI endpoint;
    private final String staticToken;
    private final java.util.List<java.security.cert.X509Certificate> extraCas;
    /**
     * One request budget for every client connected with these settings (the function app's event engine and its
     * sweep engine): they sign in as one principal, whose buckets ARM keeps per subscription, so a 429 either is given
     * pauses both.
     */
    private final ArmBudget budget = ArmBudget.system();

    private ArmSettings(URI endpoint, String staticToken, java.util.List<java.security.cert.X509Certificate> extraCas) {
        this.endpoint = endpoint;
        this.staticToken = staticToken;
        this.extraCas = extraCas;
    }

    /** @throws SettingsException naming the setting when a value is malformed */
    public static ArmSettings parse(Map<String, String> env) {
        String token = env.get(Settings.ARM_TOKEN);
        if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~'))) {
            throw new SettingsException(Settings.ARM_TOKEN, "is set but is not a bearer token");
        }
        return new ArmSettings(endpoint(env), token, ArmTrust.extraCertificates(env));
    }

    static URI endpoint(Map<String, String> env) {
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

    public URI endpoint() {
        return endpoint;
    }

    /** True when a static token stands in for azure-identity (emulators, pre-issued tokens). */
    public boolean usesStaticToken() {
        return staticToken != null;
    }

    /** The credential ARM calls are signed with. */
    public TokenCredential credential() {
        return staticToken != null ? staticToken(staticToken) : new DefaultAzureCredentialBuilder().build();
    }

    /** An ARM client over azure-core's pipeline with these retry bounds. */
    public SdkArm connect(ArmOptions options) {
        return connect(options, credential());
    }

    /**
     * As above, signing with {@code credential} (e.g. one wrapped to fail fast). Every client connected with these
     * settings shares one request budget ({@link ArmBudget}).
     */
    public SdkArm connect(ArmOptions options, TokenCredential credential) {
        return SdkArm.create(endpoint, credential, options, extraCas.isEmpty() ? null : ArmTrust.context(extraCas),
                budget);
    }

    /** True when {@code JITGUARD_ARM_CA_FILE} adds certificates to the JVM's trust. */
    public boolean trustsExtraCas() {
        return !extraCas.isEmpty();
    }

    /** jitguard's own principal, from a token of the same credential (unknown when none can be had). */
    public SelfIdentity self() {
        return staticToken != null ? SelfIdentity.fromAccessToken(staticToken.trim())
                : SelfIdentity.fromCredential(credential(), endpoint);
    }

    /** A credential that always returns the given token (with a far expiry); its value is never logged. */
    public static TokenCredential staticToken(String token) {
        return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusYears(1)));
    }

    @Override
    public String toString() {
        return "ArmSettings[endpoint=" + endpoint + ", credential=" + (staticToken != null ? "static token"
                : "DefaultAzureCredential") + "]";
    }
}
