package io.jitguard.cli;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * A credential for one CLI run: once signing in has failed, every later request fails at once with the same error
 * instead of walking azure-identity's credential chain again for each ARM call (seconds each, to the same end).
 */
final class SignInOnce implements TokenCredential {
    private final TokenCredential inner;
    private final AtomicReference<ClientAuthenticationException> failed = new AtomicReference<>();

    SignInOnce(TokenCredential inner) {
        this.inner = inner;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        ClientAuthenticationException known = failed.get();
        if (known != null) {
            return Mono.error(() -> new ClientAuthenticationException(known.getMessage(), null));
        }
        return inner.getToken(request).doOnError(ClientAuthenticationException.class, e -> failed.compareAndSet(null, e));
    }
}
