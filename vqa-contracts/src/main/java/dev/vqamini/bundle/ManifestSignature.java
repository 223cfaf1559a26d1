package dev.vqamini.bundle;

import dev.vqamini.io.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures over a bundle's {@code manifest.json}, which holds the sha256 of every other file, so one
 * signature vouches for the whole version. The signature travels beside the manifest as {@code manifest.sig}
 * (base64); keys are PEM files (PKCS#8 private, X.509 public), as {@code openssl genpkey -algorithm ed25519} writes
 * them. The JDK's own Ed25519 (Java 15+) does the cryptography.
 */
public final class ManifestSignature {

    /** The signature file beside the manifest. */
    public static final String FILE = "manifest.sig";
    private static final String ALGORITHM = "Ed25519";

    private ManifestSignature() {
    }

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519: " + e.getMessage(), e);
        }
    }

    /** The base64 signature of {@code manifestJson}. */
    public static String sign(byte[] manifestJson, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(manifestJson);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (an Ed25519 private key is needed): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code signature} (base64, as {@link #sign} writes it) is {@code key}'s over {@code manifestJson}.
     * False for a malformed signature too: only a good one counts.
     */
    public static boolean verify(byte[] manifestJson, String signature, PublicKey key) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(manifestJson);
            return s.verify(Base64.getMimeDecoder().decode(signature.trim()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Signs the bundle directory's manifest, writing {@link #FILE} beside it. */
    public static void signBundle(Path bundleDir, PrivateKey key) throws IOException {
        byte[] manifest = Files.readAllBytes(bundleDir.resolve(ServingBundle.MANIFEST));
        Files.writeString(bundleDir.resolve(FILE), sign(manifest, key) + "\n");
    }

    /** Writes the pair as PEM files, the private one readable by its owner only. */
    public static void writeKeys(KeyPair pair, Path privateKey, Path publicKey) throws IOException {
        Pem.writeOwnerOnly(privateKey, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicKey, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(Pem.decode(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": not an Ed25519 private key (PKCS#8 PEM): " + e.getMessage(), e);
        }
    }

    public static PublicKey readPublicKey(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Pem.decode(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": not an Ed25519 public key (X.509 PEM): " + e.getMessage(), e);
        }
    }
}
