package dev.vqamini.testkit;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Real signed JWTs for auth tests: an RSA 2048 key pair made once per JVM, its public key written as PEM for
 * {@code mp.jwt.verify.publickey.location}, and tokens signed with it (RS256, SmallRye JWT build). A test profile
 * adds {@link #authConfig()} to its overrides to turn auth on.
 */
public final class TestTokens {

    public static final String ISSUER = "vqa-mini";

    private static KeyPair keys;
    private static KeyPair foreign;
    private static final String DIR_PROPERTY = "dev.vqamini.testkit.jwt-dir"; // not vqa.*: the services map that prefix strictly

    private TestTokens() {
    }

    /** vqa.auth.enabled=true, verified against this JVM's public key, issuer {@value #ISSUER}. */
    public static Map<String, String> authConfig() {
        return Map.of("vqa.auth.enabled", "true", "mp.jwt.verify.publickey.location", publicKeyFile().toString(),
                "mp.jwt.verify.issuer", ISSUER);
    }

    /** A token valid for 5 minutes whose groups claim holds these roles. */
    public static String token(String... roles) {
        return Jwt.issuer(ISSUER).subject("test-" + String.join("-", roles)).groups(Set.of(roles)).expiresIn(300)
                .sign(keys().getPrivate());
    }

    /** Same claims, signed by a key the service does not know. */
    public static String foreignToken(String... roles) {
        return Jwt.issuer(ISSUER).subject("intruder").groups(Set.of(roles)).expiresIn(300).sign(foreignKeys().getPrivate());
    }

    /** Right key, right role, wrong issuer. */
    public static String otherIssuerToken(String... roles) {
        return Jwt.issuer("someone-else").subject("test").groups(Set.of(roles)).expiresIn(300).sign(keys().getPrivate());
    }

    /** Right key and role, expired a while ago. */
    public static String expiredToken(String... roles) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(ISSUER).subject("test").groups(Set.of(roles)).issuedAt(now - 3600).expiresAt(now - 1800)
                .sign(keys().getPrivate());
    }

    /** The PEM public key (X.509 SubjectPublicKeyInfo) that verifies {@link #token} tokens. */
    public static Path publicKeyFile() {
        return dir().resolve("public.pem");
    }

    private static synchronized KeyPair keys() {
        if (keys == null) {
            try {
                Path d = dir();
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                keys = new KeyPair(rsa.generatePublic(new X509EncodedKeySpec(der(d.resolve("public.pem")))),
                        rsa.generatePrivate(new PKCS8EncodedKeySpec(der(d.resolve("private.pem")))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return keys;
    }

    /**
     * The folder of this JVM's key pair, made on first use. Its path is a system property, so the test profile
     * (which configures the service) and the test (which signs) share one pair even when Quarkus loads this class
     * in more than one class loader.
     */
    private static Path dir() {
        synchronized (System.getProperties()) {
            String known = System.getProperty(DIR_PROPERTY);
            if (known != null) {
                return Path.of(known);
            }
            try {
                Path d = Files.createTempDirectory("vqa-test-jwt");
                KeyPair pair = rsa();
                Files.writeString(d.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(d.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                for (String f : new String[] {"", "private.pem", "public.pem"}) { // deleted in reverse: files, then folder
                    d.resolve(f).toFile().deleteOnExit();
                }
                System.setProperty(DIR_PROPERTY, d.toString());
                return d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path pem) throws IOException {
        return Base64.getMimeDecoder().decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", ""));
    }

    private static synchronized KeyPair foreignKeys() {
        if (foreign == null) {
            foreign = rsa();
        }
        return foreign;
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
