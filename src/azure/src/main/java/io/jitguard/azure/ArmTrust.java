package io.jitguard.azure;

import io.jitguard.baseline.Settings;
import io.jitguard.baseline.SettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of ARM calls: the JVM's default trust, plus the CA certificates of {@code JITGUARD_ARM_CA_FILE} (PEM)
 * when it is set. Added, never replacing: a real tenant's certificates stay trusted with the file set, and nothing
 * else in the JVM (Maven, other clients) is affected, unlike {@code javax.net.ssl.trustStore}.
 */
public final class ArmTrust {
    private ArmTrust() {
    }

    /** The extra certificates, read and checked now; empty when the setting is unset. */
    static List<X509Certificate> extraCertificates(java.util.Map<String, String> env) {
        String raw = env.get(Settings.ARM_CA_FILE);
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        Path file = Path.of(raw.strip());
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(file)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new SettingsException(Settings.ARM_CA_FILE, "cannot be read: " + file);
        } catch (GeneralSecurityException e) {
            throw new SettingsException(Settings.ARM_CA_FILE, "is not a PEM certificate file: " + file);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate c : read) {
            if (c instanceof X509Certificate x) {
                certificates.add(x);
            }
        }
        if (certificates.isEmpty()) {
            throw new SettingsException(Settings.ARM_CA_FILE, "holds no certificate: " + file);
        }
        return List.copyOf(certificates);
    }

    /** An SSL context that trusts what the JVM trusts by default and {@code extra}. */
    static SSLContext context(List<X509Certificate> extra) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate issuer : defaultTrust().getAcceptedIssuers()) {
                store.setCertificateEntry("default-" + n++, issuer);
            }
            for (X509Certificate c : extra) {
                store.setCertificateEntry("jitguard-ca-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS trust for ARM: " + e.getMessage(), e);
        }
    }

    /** The JVM's default trust manager ({@code cacerts}, or {@code javax.net.ssl.trustStore} when set). */
    static X509TrustManager defaultTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }
}
