package io.jitguard.cli;

import io.jitguard.arm.ArmException;
import io.jitguard.report.Failure;
import io.jitguard.report.Report;
import java.util.Locale;
import java.util.Optional;

/** One line that says what to check when ARM could not be reached or refused who we are. */
final class Diagnosis {
    static final String SIGN_IN = "jitguard: could not sign in to Azure (not retried). Run `az login` (and `az account"
            + " set` to the right tenant), or set JITGUARD_ARM_TOKEN to a bearer token for ARM, or run where a managed"
            + " identity is available (AZURE_CLIENT_ID names a user-assigned one).";
    static final String UNTRUSTED = "jitguard: the ARM endpoint's TLS certificate is not trusted (not retried)."
            + " Against the emulator, export the JITGUARD_ARM_CA_FILE line that `jitguard emulator` prints; behind a"
            + " TLS-inspecting proxy, set JITGUARD_ARM_CA_FILE to its CA certificate (PEM).";

    private Diagnosis() {
    }

    static Optional<String> of(Report report) {
        for (Failure f : report.failures()) {
            Optional<String> hint = of(f.status(), f.code(), f.message());
            if (hint.isPresent()) {
                return hint;
            }
        }
        return Optional.empty();
    }

    static Optional<String> of(int status, String code, String message) {
        String text = (code + " " + message).toLowerCase(Locale.ROOT);
        if (ArmException.UNTRUSTED_CERTIFICATE.equals(code) || text.contains("pkix")
                || text.contains("sslhandshake")) {
            return Optional.of(UNTRUSTED);
        }
        if (ArmException.SIGN_IN_FAILED.equals(code) || text.contains("credentialunavailable")
                || text.contains("credential unavailable")) {
            return Optional.of(SIGN_IN);
        }
        if (status == 401) {
            return Optional.of("jitguard: ARM refused the token (401): check JITGUARD_ARM_TOKEN or your `az login`"
                    + " session, and that JITGUARD_ARM_ENDPOINT is the cloud the token is for.");
        }
        if (status == 403) {
            return Optional.of("jitguard: ARM denied access (403): give the identity Reader (to read) and Security"
                    + " Admin (to write JIT policies) on the scope; the report names the call.");
        }
        if (status == 0 && "ConnectionFailed".equals(code)) {
            return Optional.of("jitguard: could not connect to ARM: check JITGUARD_ARM_ENDPOINT and the network"
                    + " (is the emulator running?).");
        }
        return Optional.empty();
    }
}
