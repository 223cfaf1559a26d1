package dev.vqamini.cli;

import dev.vqamini.io.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vqa token}: keys and bearer tokens for services with {@code vqa.auth.enabled=true}, for a local setup (in
 * production tokens come from your identity provider, and the services verify them against its JWKS).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Keys and bearer tokens for services with vqa.auth.enabled=true (local setups).",
        subcommands = {TokenCommand.Keys.class, TokenCommand.Mint.class})
public final class TokenCommand implements Runnable {

    /** The roles the services know (the token's groups claim). */
    static final List<String> ROLES = List.of("uploader", "operator");

    @Override
    public void run() {
        System.err.println("vqa token keys --out DIR | vqa token mint --key DIR/private.pem --role uploader|operator");
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = {"Write an RSA 2048 key pair: DIR/private.pem (PKCS#8, owner-only) signs tokens, DIR/public.pem",
                    "(X.509 SubjectPublicKeyInfo) is what services verify with: mp.jwt.verify.publickey.location=DIR/public.pem."})
    static final class Keys implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for private.pem and public.pem.")
        Path out;

        @Option(names = "--force", description = "Replace an existing pair.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            Path privatePem = out.resolve("private.pem");
            Path publicPem = out.resolve("public.pem");
            if (!force && (Files.exists(privatePem) || Files.exists(publicPem))) {
                System.err.println("token keys: " + out + " already holds a key pair (--force replaces it; tokens signed "
                        + "with the old key stop working)");
                return 1;
            }
            KeyPair pair = generate();
            Files.createDirectories(out);
            Pem.writeOwnerOnly(privatePem, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicPem, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()));
            System.out.println("private key: " + privatePem + "  (vqa token mint --key " + privatePem + " ...)");
            System.out.println("public key:  " + publicPem + "  (services: VQA_AUTH_ENABLED=true MP_JWT_VERIFY_PUBLICKEY_LOCATION="
                    + publicPem.toAbsolutePath() + ")");
            return 0;
        }
    }

    @Command(name = "mint", mixinStandardHelpOptions = true,
            description = {"Print a signed JWT (RS256) whose groups claim holds the role, e.g.",
                    "  export VQA_TOKEN=$(vqa token mint --key keys/private.pem --role uploader)"})
    static final class Mint implements Callable<Integer> {

        @Option(names = "--key", required = true, paramLabel = "PEM", description = "PKCS#8 private key (vqa token keys writes one).")
        Path key;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "uploader (POST /videos) or operator (every write); repeat for both.")
        List<String> roles;

        @Option(names = "--subject", defaultValue = "vqa-cli", paramLabel = "S", description = "sub and upn claims (default ${DEFAULT-VALUE}).")
        String subject;

        @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION",
                description = "Lifetime: 90s, 30m, 1h, 7d or ISO-8601 (default ${DEFAULT-VALUE}).")
        String ttl;

        @Option(names = "--issuer", defaultValue = "vqa-mini", paramLabel = "ISS",
                description = "iss claim; must match the services' mp.jwt.verify.issuer (default ${DEFAULT-VALUE}).")
        String issuer;

        @Override
        public Integer call() throws Exception {
            for (String r : roles) {
                if (!ROLES.contains(r)) {
                    System.err.println("token mint: unknown role '" + r + "' (roles: " + String.join(", ", ROLES) + ")");
                    return 2;
                }
            }
            Duration lifetime;
            try {
                lifetime = duration(ttl);
            } catch (IllegalArgumentException e) {
                System.err.println("token mint: " + e.getMessage());
                return 2;
            }
            System.out.println(sign(readPrivate(key), issuer, subject, roles, lifetime));
            return 0;
        }
    }

    /** A compact RS256 JWS: iss, sub, upn, groups, iat, exp, jti. */
    public static String sign(PrivateKey key, String issuer, String subject, List<String> roles, Duration lifetime) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setStringListClaim("groups", roles);
        claims.setIssuedAtToNow();
        NumericDate expires = NumericDate.now();
        expires.addSeconds(lifetime.toSeconds());
        claims.setExpirationTime(expires);
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        return jws.getCompactSerialization();
    }

    public static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static PrivateKey readPrivate(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(pem + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY); vqa token keys writes one");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** 90s, 30m, 1h, 7d, or ISO-8601 (PT1H); positive. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new IllegalArgumentException();
                };
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--ttl '" + text + "': use 90s, 30m, 1h, 7d or ISO-8601 (PT1H)");
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--ttl '" + text + "' must be positive");
        }
        return d;
    }
}
