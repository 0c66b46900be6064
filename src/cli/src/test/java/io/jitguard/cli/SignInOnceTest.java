package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import io.jitguard.arm.ArmException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** With no way to sign in, the CLI asks azure-identity once per run and prints one line that says what to do. */
class SignInOnceTest {
    private static final TokenRequestContext ARM = new TokenRequestContext().addScopes("https://management.azure.com/.default");

    @Test
    void afterOneFailedSignInEveryLaterRequestFailsWithoutAskingAgain() {
        AtomicInteger asked = new AtomicInteger();
        SignInOnce credential = new SignInOnce(request -> {
            asked.incrementAndGet();
            return Mono.error(new CredentialUnavailableException("no az login"));
        });

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> credential.getToken(ARM).block()).isInstanceOf(ClientAuthenticationException.class)
                    .hasMessageContaining("no az login");
        }
        assertThat(asked).hasValue(1);
    }

    @Test
    void theSignInLineNamesTheThreeWaysIn() {
        assertThat(Diagnosis.of(0, ArmException.SIGN_IN_FAILED, "GET /subscriptions: SignInFailed (…)"))
                .contains(Diagnosis.SIGN_IN);
        assertThat(Diagnosis.SIGN_IN).contains("az login").contains("JITGUARD_ARM_TOKEN").contains("managed identity")
                .contains("not retried");
        assertThat(Diagnosis.of(0, ArmException.UNTRUSTED_CERTIFICATE, "x")).contains(Diagnosis.UNTRUSTED);
        assertThat(Diagnosis.UNTRUSTED).contains("JITGUARD_ARM_CA_FILE").doesNotContain("JAVA_TOOL_OPTIONS");
    }
}
