package dev.vqamini.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.io.IOException;

/**
 * Which upload URIs ingest may read: {@code file:} only below the configured folders (after resolving {@code ..}
 * and symbolic links), {@code http(s):} only from the configured hosts; every other scheme is refused.
 */
public final class UriPolicy {

    private final List<Path> roots;
    private final List<String> hosts;

    public UriPolicy(List<Path> roots, List<String> hosts) {
        this.roots = roots.stream().map(UriPolicy::real).toList();
        this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The checked URI.
     *
     * @throws IllegalArgumentException saying why it is refused
     */
    public URI check(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                Path p = real(Path.of(uri));
                if (roots.stream().noneMatch(p::startsWith)) {
                    throw new IllegalArgumentException("file " + p + " is outside the allowed folders " + roots
                            + " (vqa.ingest.allowed-roots)");
                }
            }
            case "http", "https" -> {
                String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
                if (!hosts.contains(host)) {
                    throw new IllegalArgumentException("host '" + host + "' is not among the allowed hosts " + hosts
                            + " (vqa.ingest.allowed-hosts)");
                }
            }
            default -> throw new IllegalArgumentException("scheme '" + scheme + "' is not accepted: use file: or http(s):");
        }
        return uri;
    }

    /**
     * Where the operating system takes the path: its longest existing prefix resolved by the OS (symbolic links and
     * {@code ..} physically, left to right, never {@code ..} lexically first: {@code root/link/../x} is not
     * {@code root/x} when link points elsewhere), then the rest, which does not exist yet and so holds no link.
     *
     * @throws IllegalArgumentException when the part that does not exist climbs with {@code ..}
     */
    private static Path real(Path p) {
        Path abs = p.toAbsolutePath();
        for (int i = abs.getNameCount(); i > 0; i--) {
            Path prefix = abs.getRoot().resolve(abs.subpath(0, i));
            if (Files.exists(prefix)) {
                try {
                    Path real = prefix.toRealPath();
                    if (i == abs.getNameCount()) {
                        return real;
                    }
                    Path rest = abs.subpath(i, abs.getNameCount());
                    for (Path name : rest) {
                        if (name.toString().equals("..")) {
                            throw new IllegalArgumentException(p + ": '..' below " + prefix + ", which does not exist");
                        }
                    }
                    return real.resolve(rest).normalize();
                } catch (IOException e) {
                    throw new IllegalArgumentException(p + ": cannot resolve " + prefix + ": " + e.getMessage(), e);
                }
            }
        }
        return abs.normalize();
    }
}
