package io.jitguard.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.CredentialUnavailableException;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import io.jitguard.baseline.SettingsException;
import io.jitguard.emulator.ArmEmulator;
import io.jitguard.emulator.EmulatorTls;
import io.jitguard.emulator.Estate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** Sign-in and certificate trust failures are not retried and say which they are; an extra CA is trusted beside the JVM's. */
class SignInAndTrustTest {
    private static final String RG = "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-web";
    private static final ArmOptions THREE_RETRIES = new ArmOptions(3, Duration.ofSeconds(30), false);

    @TempDir
    Path tmp;

    @Test
    void aCredentialThatCannotSignInIsAskedOnceAndTheFailureSaysSignIn() {
        try (ArmEmulator emulator = ArmEmulator.start(Estate.load(Path.of("examples/estate.json")), 0)) {
            AtomicInteger asked = new AtomicInteger();
            TokenCredential noLogin = request -> {
                asked.incrementAndGet();
                return Mono.error(new CredentialUnavailableException(
                        "DefaultAzureCredential failed to retrieve a token from the included credentials."));
            };
            SdkArm arm = SdkArm.create(java.net.URI.create(emulator.endpoint()), noLogin, THREE_RETRIES);

            ArmException e = catchThrowableOfType(() -> arm.get(ArmOperation.GET_RESOURCE_GROUP, RG),
                    ArmException.class);

            assertThat(e.code()).isEqualTo(ArmException.SIGN_IN_FAILED);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains("SignInFailed");
            assertThat(asked).hasValue(1);
            assertThat(arm.retries()).isZero();
            assertThat(emulator.stats().reads()).isZero();
        }
    }

    @Test
    void anUntrustedCertificateIsNotRetriedAndAnExtraCaMakesItTrusted() throws Exception {
        Path ownTls = tmp.resolve("tls");
        try (ArmEmulator emulator = ArmEmulator.start(Estate.load(Path.of("examples/estate.json")), 0, ownTls)) {
            Map<String, String> env = Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(), "JITGUARD_ARM_TOKEN", "t");
            SdkArm untrusting = ArmSettings.parse(env).connect(THREE_RETRIES);

            ArmException e = catchThrowableOfType(() -> untrusting.get(ArmOperation.GET_RESOURCE_GROUP, RG),
                    ArmException.class);

            assertThat(e.code()).isEqualTo(ArmException.UNTRUSTED_CERTIFICATE);
            assertThat(e.isTransient()).isFalse();
            assertThat(untrusting.retries()).isZero();

            ArmSettings withCa = ArmSettings.parse(Map.of("JITGUARD_ARM_ENDPOINT", emulator.endpoint(),
                    "JITGUARD_ARM_TOKEN", "t", "JITGUARD_ARM_CA_FILE", EmulatorTls.caFile(ownTls).toString()));
            assertThat(withCa.trustsExtraCas()).isTrue();
            assertThat(withCa.connect(THREE_RETRIES).get(ArmOperation.GET_RESOURCE_GROUP, RG).path("name").asText())
                    .isEqualTo("rg-web");
        }
    }

    @Test
    void theExtraCaIsAddedToTheJvmsTrustNotInPlaceOfIt() throws Exception {
        Path ownTls = tmp.resolve("tls");
        EmulatorTls.ensure(ownTls);
        var extra = ArmTrust.extraCertificates(Map.of("JITGUARD_ARM_CA_FILE", EmulatorTls.caFile(ownTls).toString()));
        assertThat(extra).hasSize(1);
        // the JVM's default trust (here the other tests' emulator) still works with the extra CA in place
        try (ArmEmulator shared = ArmEmulator.start(Estate.load(Path.of("examples/estate.json")), 0)) {
            SdkArm arm = SdkArm.create(java.net.URI.create(shared.endpoint()), ArmSettings.staticToken("t"),
                    THREE_RETRIES, ArmTrust.context(extra));
            assertThat(arm.get(ArmOperation.GET_RESOURCE_GROUP, RG).path("name").asText()).isEqualTo("rg-web");
        }
        assertThat(ArmTrust.defaultTrust().getAcceptedIssuers()).isNotEmpty();
    }

    @Test
    void aBadCaFileNamesTheSettingAndTheFile() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("ca.pem"), "hello");
        assertThatThrownBy(() -> ArmSettings.parse(Map.of("JITGUARD_ARM_CA_FILE", notPem.toString())))
                .isInstanceOf(SettingsException.class).hasMessageContaining("JITGUARD_ARM_CA_FILE")
                .hasMessageContaining(notPem.toString());
        assertThatThrownBy(() -> ArmSettings.parse(Map.of("JITGUARD_ARM_CA_FILE", tmp.resolve("absent.pem").toString())))
                .isInstanceOf(SettingsException.class).hasMessageContaining("cannot be read");
        assertThat(ArmSettings.parse(Map.of()).trustsExtraCas()).isFalse();
    }
}
