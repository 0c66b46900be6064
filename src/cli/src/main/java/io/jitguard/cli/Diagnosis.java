package io.jitguard.cli;

import io.jitguard.report.Failure;
import io.jitguard.report.Report;
import java.util.Locale;
import java.util.Optional;

/** One line that says what to check when ARM could not be reached or refused who we are. */
final class Diagnosis {
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
        if (text.contains("pkix") || text.contains("sslhandshake") || text.contains("certificate")) {
            return Optional.of("jitguard: TLS: the ARM endpoint's certificate is not trusted. Against the emulator,"
                    + " export the JAVA_TOOL_OPTIONS line that `jitguard emulator` prints (its trust store).");
        }
        if (text.contains("credentialunavailable") || text.contains("credential unavailable")) {
            return Optional.of("jitguard: no Azure credential: sign in with `az login`, use a managed identity, or set"
                    + " JITGUARD_ARM_TOKEN.");
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
