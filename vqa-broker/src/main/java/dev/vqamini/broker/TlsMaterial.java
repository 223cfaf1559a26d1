package dev.vqamini.broker;

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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Throw-away TLS material for a secured local broker: a self-signed CA, a server certificate it signed for
 * {@code localhost} and {@code 127.0.0.1} (so clients' hostname verification passes), the broker's PKCS12 keystore
 * and the PKCS12 truststore clients use. EC P-256 keys: generated in milliseconds.
 *
 * @param keystore   the broker's key and certificate chain (PKCS12)
 * @param truststore the CA certificate alone (PKCS12), for clients and the broker's own inter-broker client
 * @param password   password of both stores and of the key
 */
record TlsMaterial(Path keystore, Path truststore, String password) {

    static final String STORE_TYPE = "PKCS12";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration VALIDITY = Duration.ofDays(2);

    /** Writes {@code broker.p12} and {@code truststore.p12} into {@code dir} (created if missing). */
    static TlsMaterial generate(Path dir) throws Exception {
        Files.createDirectories(dir);
        SecureRandom random = new SecureRandom();
        byte[] pw = new byte[18];
        random.nextBytes(pw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);

        KeyPair caKeys = ecKeyPair(random);
        KeyPair serverKeys = ecKeyPair(random);
        Instant now = Instant.now();
        Date from = Date.from(now.minus(Duration.ofHours(1)));
        Date to = Date.from(now.plus(VALIDITY));
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

        X500Name caName = new X500Name("CN=VQA-Mini local broker CA");
        X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(random), from, to, caName,
                caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
        X509Certificate caCert = sign(ca, caKeys);

        X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCert, serial(random), from, to,
                new X500Name("CN=localhost"), serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        X509Certificate serverCert = sign(server, caKeys);

        KeyStore keystore = KeyStore.getInstance(STORE_TYPE);
        keystore.load(null, null);
        keystore.setKeyEntry("broker", serverKeys.getPrivate(), password.toCharArray(),
                new Certificate[] {serverCert, caCert});
        KeyStore truststore = KeyStore.getInstance(STORE_TYPE);
        truststore.load(null, null);
        truststore.setCertificateEntry("vqa-local-ca", caCert);

        Path keystoreFile = dir.resolve("broker.p12");
        Path truststoreFile = dir.resolve("truststore.p12");
        store(keystore, keystoreFile, password);
        store(truststore, truststoreFile, password);
        return new TlsMaterial(keystoreFile, truststoreFile, password);
    }

    private static KeyPair ecKeyPair(SecureRandom random) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), random);
        return gen.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(64, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate())));
    }

    private static void store(KeyStore store, Path file, String password) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "TlsMaterial[keystore=" + keystore + ", truststore=" + truststore + "]";
    }
}
