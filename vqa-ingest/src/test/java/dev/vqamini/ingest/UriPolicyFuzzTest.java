package dev.vqamini.ingest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import java.util.Locale;

/**
 * {@link UriPolicy#check} on arbitrary text. The property: it throws {@link IllegalArgumentException}, or the URI it
 * returns is {@code http(s):} on an allowed host or {@code file:} and, resolved as the operating system would open it
 * (symbolic links and {@code ..} physically, left to right), lies below the allowed root. The root holds a file, a
 * folder and a symbolic link to a folder outside it. Seeds and past findings:
 * {@code src/test/resources/dev/vqamini/ingest/UriPolicyFuzzTestInputs/check/}.
 */
class UriPolicyFuzzTest {

    private static final Path BASE;
    private static final Path ROOT;
    private static final UriPolicy POLICY;
    private static final List<String> PREFIXES;

    static {
        try {
            BASE = Files.createTempDirectory("uri-policy-fuzz").toRealPath();
            ROOT = Files.createDirectories(BASE.resolve("allowed"));
            Files.createDirectories(ROOT.resolve("sub"));
            Files.writeString(ROOT.resolve("data.mp4"), "in");
            Path deep = Files.createDirectories(BASE.resolve("outside/deep"));
            Files.writeString(BASE.resolve("outside/secret.mp4"), "out");
            Files.createSymbolicLink(ROOT.resolve("escape"), deep);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        POLICY = new UriPolicy(List.of(ROOT), List.of("videos.example"));
        PREFIXES = List.of("", "file:", "file://", "file:" + ROOT + "/", "file://" + ROOT + "/", "FILE:" + BASE + "/",
                "http://", "https://videos.example/");
    }

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    @DictionaryEntries({"..", "/", "escape", "sub", "data.mp4", "secret.mp4", "outside", "%2e%2e", "%2F", "./",
            "?", "#", "//", "@"})
    void check(FuzzedDataProvider data) {
        String text = data.pickValue(PREFIXES) + data.consumeRemainingAsString();
        URI uri;
        try {
            uri = POLICY.check(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            Path opened = osResolve(Path.of(uri));
            if (!opened.startsWith(ROOT)) {
                throw new AssertionError("accepted " + text + ", which opens " + opened + ", outside " + ROOT);
            }
        } else if (!(scheme.equals("http") || scheme.equals("https")) || !"videos.example".equalsIgnoreCase(uri.getHost())) {
            throw new AssertionError("accepted " + text + " (scheme " + scheme + ", host " + uri.getHost() + ")");
        }
    }

    /** Where the OS goes for {@code p}: its longest existing prefix, resolved by the OS, then the rest. */
    private static Path osResolve(Path p) {
        Path abs = p.toAbsolutePath();
        for (int i = abs.getNameCount(); i >= 0; i--) {
            Path prefix = i == 0 ? abs.getRoot() : abs.getRoot().resolve(abs.subpath(0, i));
            if (Files.exists(prefix)) {
                try {
                    Path real = prefix.toRealPath();
                    return i == abs.getNameCount() ? real : real.resolve(abs.subpath(i, abs.getNameCount())).normalize();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return abs.normalize();
    }
}
