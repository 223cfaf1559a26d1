package dev.vqamini.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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

    /** The path with {@code ..} and symbolic links resolved as far as it exists. */
    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (java.io.IOException e) {
            return abs; // does not exist (yet): the normalised path decides
        }
    }
}
