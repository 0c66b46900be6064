package io.jitguard.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Enumeration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The emulator's TLS material: one self-signed RSA-2048 certificate for {@code localhost} / {@code 127.0.0.1}, kept as
 * PKCS12 {@code keystore.p12} and {@code truststore.p12} (password {@code changeit}) in {@link #tlsDir()}. Existing
 * files are reused so every emulator (in this JVM and across runs) presents the same certificate; new files are
 * written to a temporary name and moved into place under a file lock, so parallel JVMs never see half a file or a
 * key store that does not match the trust store.
 */
public final class EmulatorTls {
    public static final String TLS_DIR_PROPERTY = "jitguard.emulator.tlsDir";
    public static final String PASSWORD = "changeit";
    public static final String KEY_ALIAS = "jitguard-emulator";

    /** Directories already verified in this JVM, with the contexts built from them (loading PKCS12 is slow). */
    private static final java.util.Map<Path, SSLContext> SERVER = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<Path, SSLContext> CLIENT = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Set<Path> VERIFIED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private EmulatorTls() {
    }

    /** The system property {@code jitguard.emulator.tlsDir} if set, else {@code $HOME/.jitguard/emulator-tls}. */
    public static Path tlsDir() {
        String configured = System.getProperty(TLS_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        return Paths.get(System.getProperty("user.home"), ".jitguard", "emulator-tls").toAbsolutePath();
    }

    public static Path keyStore() {
        return tlsDir().resolve("keystore.p12");
    }

    public static Path trustStore() {
        return tlsDir().resolve("truststore.p12");
    }

    /** The emulator's certificate as PEM ({@code ca.pem}), for {@code JITGUARD_ARM_CA_FILE}. */
    public static Path caFile() {
        return caFile(tlsDir());
    }

    public static Path caFile(Path dir) {
        return dir.resolve("ca.pem");
    }

    /** Makes sure both stores and {@code ca.pem} exist, match and load; creates them if not. Returns the TLS directory. */
    public static Path ensure() {
        return ensure(tlsDir());
    }

    /** As {@link #ensure()}, in {@code dir} (an emulator with its own certificate). */
    public static synchronized Path ensure(Path dir) {
        dir = dir.toAbsolutePath();
        if (VERIFIED.contains(dir) && Files.isRegularFile(dir.resolve("keystore.p12"))
                && Files.isRegularFile(dir.resolve("truststore.p12")) && Files.isRegularFile(caFile(dir))) {
            return dir;
        }
        SERVER.remove(dir);
        CLIENT.remove(dir);
        try {
            Files.createDirectories(dir);
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
                if (!usable(dir)) {
                    generate(dir);
                }
                writePem(load(dir.resolve("keystore.p12")).getCertificate(KEY_ALIAS), caFile(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create emulator TLS files in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create emulator TLS certificate: " + e.getMessage(), e);
        }
        if (!usable(dir)) {
            throw new IllegalStateException("emulator TLS files in " + dir + " are not usable");
        }
        VERIFIED.add(dir);
        return dir;
    }

    /** Server side: key managers from the key store. */
    public static SSLContext serverContext() {
        return serverContext(tlsDir());
    }

    public static SSLContext serverContext(Path tlsDir) {
        Path dir = ensure(tlsDir);
        SSLContext cached = SERVER.get(dir);
        if (cached != null) {
            return cached;
        }
        try {
            KeyStore ks = load(dir.resolve("keystore.p12"));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            SERVER.put(dir, ctx);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the emulator's server TLS context: " + e.getMessage(), e);
        }
    }

    /** Client side: trusts exactly the emulator's certificate (for tests and tools that don't use -D flags). */
    public static SSLContext clientContext() {
        Path dir = ensure();
        SSLContext cached = CLIENT.get(dir);
        if (cached != null) {
            return cached;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore()));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            CLIENT.put(dir, ctx);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client TLS context for the emulator: " + e.getMessage(), e);
        }
    }

    /** The certificate the emulator presents. */
    public static X509Certificate certificate() {
        ensure();
        try {
            KeyStore ks = load(keyStore());
            return (X509Certificate) ks.getCertificate(KEY_ALIAS);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static boolean usable(Path dir) {
        Path ksFile = dir.resolve("keystore.p12");
        Path tsFile = dir.resolve("truststore.p12");
        if (!Files.isRegularFile(ksFile) || !Files.isRegularFile(tsFile)) {
            return false;
        }
        try {
            KeyStore ks = load(ksFile);
            KeyStore ts = load(tsFile);
            if (!ks.isKeyEntry(KEY_ALIAS)) {
                return false;
            }
            Certificate cert = ks.getCertificate(KEY_ALIAS);
            for (Enumeration<String> aliases = ts.aliases(); aliases.hasMoreElements(); ) {
                if (cert.equals(ts.getCertificate(aliases.nextElement()))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void generate(Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(2048, new SecureRandom());
        KeyPair kp = kpg.generateKeyPair();
        X500Name subject = new X500Name("CN=localhost, O=jitguard ARM emulator");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                kp.getPublic());
        try {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));

            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, kp.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {cert});
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry(KEY_ALIAS, cert);
            // Trust store last: a reader that finds both files sees a matching pair (usable() checks that anyway).
            writeAtomically(ks, dir.resolve("keystore.p12"));
            writeAtomically(ts, dir.resolve("truststore.p12"));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    /** Writes {@code cert} as PEM unless the file already holds exactly that (readers never see half a file). */
    private static void writePem(Certificate cert, Path target) throws IOException, GeneralSecurityException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        if (Files.isRegularFile(target) && Files.readString(target).equals(pem)) {
            return;
        }
        writeAtomically(target, out -> out.write(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static void writeAtomically(KeyStore ks, Path target) throws IOException, GeneralSecurityException {
        writeAtomically(target, out -> ks.store(out, PASSWORD.toCharArray()));
    }

    /** What writes a file's bytes. */
    private interface Content {
        void writeTo(OutputStream out) throws IOException, GeneralSecurityException;
    }

    /** Writes a temporary file beside {@code target}, then moves it onto it: a reader never sees half a file. */
    private static void writeAtomically(Path target, Content content) throws IOException, GeneralSecurityException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
