package io.jitguard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;

class EmulatorTlsTest {
    @Test
    void certificateIsSelfSignedForLocalhostAndReused() throws Exception {
        Path dir = EmulatorTls.ensure();
        assertThat(dir).isEqualTo(EmulatorTls.tlsDir());
        assertThat(EmulatorTls.trustStore()).exists().isEqualTo(dir.resolve("truststore.p12"));
        assertThat(EmulatorTls.keyStore()).exists();
        X509Certificate cert = EmulatorTls.certificate();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(cert.getSubjectAlternativeNames()).map(l -> (List<Object>) l)
                .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        long days = (cert.getNotAfter().getTime() - cert.getNotBefore().getTime()) / 86_400_000L;
        assertThat(days).isGreaterThanOrEqualTo(3650);

        long modified = Files.getLastModifiedTime(EmulatorTls.trustStore()).toMillis();
        try (ArmEmulator one = ArmEmulator.start(Estate.parse("{\"tenantId\":\"t\",\"subscriptions\":[]}"), 0)) {
            assertThat(one.port()).isPositive();
        }
        assertThat(Files.getLastModifiedTime(EmulatorTls.trustStore()).toMillis()).isEqualTo(modified);
        assertThat(EmulatorTls.certificate()).isEqualTo(cert);

        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(EmulatorTls.trustStore())) {
            ts.load(in, "changeit".toCharArray());
        }
        assertThat(ts.getCertificate(EmulatorTls.KEY_ALIAS)).isEqualTo(cert);

        // the same certificate as PEM, for JITGUARD_ARM_CA_FILE
        try (InputStream in = Files.newInputStream(EmulatorTls.caFile())) {
            assertThat(java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in)).isEqualTo(cert);
        }
    }

    @Test
    void anEmulatorMayKeepItsOwnCertificateInAnotherDirectory(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("tls");
        try (ArmEmulator own = ArmEmulator.start(Estate.parse("{\"tenantId\":\"t\",\"subscriptions\":[]}"), 0, dir)) {
            assertThat(own.port()).isPositive();
        }
        assertThat(EmulatorTls.caFile(dir)).exists();
        assertThat(Files.readString(EmulatorTls.caFile(dir))).startsWith("-----BEGIN CERTIFICATE-----\n")
                .isNotEqualTo(Files.readString(EmulatorTls.caFile()));
    }
}
