package dev.vqamini.cli;

import dev.vqamini.testkit.CapturedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vqa token keys / mint: a PEM pair, and tokens that verify against its public key with the claims asked for. */
class TokenCommandTest {

    @TempDir
    Path dir;

    static PublicKey publicKey(Path pem) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    static JwtConsumer consumer(PublicKey key, String issuer) {
        return new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(issuer).setRequireExpirationTime()
                .setRequireSubject().build();
    }

    @Test
    void keysThenMintGivesATokenTheServicesCanVerify() throws Exception {
        Path keys = dir.resolve("keys");
        CapturedRun k = VideoCommandsTest.run("token", "keys", "--out", keys.toString());
        assertEquals(0, k.exit(), k.err());
        assertTrue(Files.readString(keys.resolve("private.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(keys.resolve("public.pem")).startsWith("-----BEGIN PUBLIC KEY-----"));
        if (Files.getFileStore(keys).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("private.pem"))));
        }
        CapturedRun again = VideoCommandsTest.run("token", "keys", "--out", keys.toString());
        assertEquals(1, again.exit(), "an existing pair is kept without --force");

        CapturedRun m = VideoCommandsTest.run("token", "mint", "--key", keys.resolve("private.pem").toString(),
                "--role", "uploader", "--subject", "alice", "--ttl", "30m");
        assertEquals(0, m.exit(), m.err());
        String token = m.out().strip();
        JwtClaims claims = consumer(publicKey(keys.resolve("public.pem")), "vqa-mini").processToClaims(token);
        assertEquals("alice", claims.getSubject());
        assertEquals(List.of("uploader"), claims.getStringListClaimValue("groups"));
        long ttl = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertEquals(1800, ttl, 2);

        CapturedRun other = VideoCommandsTest.run("token", "keys", "--out", dir.resolve("other").toString());
        assertEquals(0, other.exit());
        assertThrows(InvalidJwtException.class,
                () -> consumer(publicKey(dir.resolve("other").resolve("public.pem")), "vqa-mini").processToClaims(token));
    }

    @Test
    void mintTakesBothRolesAnIssuerAndRefusesUnknownRoles() throws Exception {
        Path keys = dir.resolve("k2");
        assertEquals(0, VideoCommandsTest.run("token", "keys", "--out", keys.toString()).exit());
        String key = keys.resolve("private.pem").toString();
        CapturedRun m = VideoCommandsTest.run("token", "mint", "--key", key, "--role", "uploader", "--role", "operator",
                "--issuer", "https://id.example.org");
        assertEquals(0, m.exit(), m.err());
        JwtClaims claims = consumer(publicKey(keys.resolve("public.pem")), "https://id.example.org").processToClaims(m.out().strip());
        assertEquals(List.of("uploader", "operator"), claims.getStringListClaimValue("groups"));
        assertEquals(2, VideoCommandsTest.run("token", "mint", "--key", key, "--role", "admin").exit());
        assertEquals(2, VideoCommandsTest.run("token", "mint", "--key", key, "--role", "operator", "--ttl", "soon").exit());
    }

    @Test
    void durations() {
        assertEquals(90, TokenCommand.duration("90s").toSeconds());
        assertEquals(3600, TokenCommand.duration("1h").toSeconds());
        assertEquals(7 * 86400, TokenCommand.duration("7d").toSeconds());
        assertEquals(3600, TokenCommand.duration("PT1H").toSeconds());
        assertThrows(IllegalArgumentException.class, () -> TokenCommand.duration("0m"));
    }
}
