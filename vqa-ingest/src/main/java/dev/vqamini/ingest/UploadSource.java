package dev.vqamini.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Where uploads come from on disk: the work folder for REST bodies and downloads, and the checked URIs of JSON
 * requests and upload events ({@link UriPolicy}): a {@code file:} is read in place, an {@code http(s):} body is
 * streamed to the work folder with the size limit enforced while it arrives.
 */
public class UploadSource {

    /** A file to ingest; {@code owned} ones are ours to delete afterwards. */
    public record Local(Path file, boolean owned) {
    }

    private final IngestSettings settings;
    private final UriPolicy policy;
    private final Path workDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public UploadSource(IngestSettings settings) throws IOException {
        this.settings = settings;
        this.policy = new UriPolicy(settings.allowedRoots().orElse(List.of()), settings.allowedHosts().orElse(List.of()));
        this.workDir = Files.createDirectories(settings.workDir()
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "vqa-ingest")));
    }

    /** A fresh file in the work folder, keeping the upload's name (so offsets match {@code vqa views} on it). */
    public Path newFile(String name) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve(UUID.randomUUID().toString()));
        String safe = name == null || name.isBlank() ? "upload" : Path.of(name).getFileName().toString();
        return dir.resolve(safe);
    }

    /** @throws IllegalArgumentException when the URI is refused (scheme, folder, host), or names no file */
    public void check(String uri) {
        URI checked = policy.check(uri);
        if (checked.getScheme().equalsIgnoreCase("file") && !Files.isRegularFile(Path.of(checked))) {
            throw new IllegalArgumentException("no such file: " + Path.of(checked));
        }
    }

    /**
     * @throws IllegalArgumentException when the URI is refused (scheme, folder, host) or too large
     */
    public Local fetch(String uri) throws IOException, InterruptedException {
        URI checked = policy.check(uri);
        if (checked.getScheme().equalsIgnoreCase("file")) {
            Path p = Path.of(checked);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such file: " + p);
            }
            return new Local(p, false);
        }
        Path target = newFile(Path.of(checked.getPath().isEmpty() ? "/download" : checked.getPath()).getFileName().toString());
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(checked).timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IllegalArgumentException(uri + " answered HTTP " + r.statusCode());
        }
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > settings.maxUploadBytes()) {
                    out.close();
                    Files.deleteIfExists(target);
                    throw new IllegalArgumentException(uri + " is larger than " + settings.maxUploadBytes()
                            + " bytes (vqa.ingest.max-upload-bytes)");
                }
                out.write(buf, 0, n);
            }
        }
        return new Local(target, true);
    }

    /** The video id a URI gets when none is given: its file name. */
    public static String idOf(String uri) {
        String path = URI.create(uri).getPath();
        return path == null || path.isEmpty() ? "video" : Path.of(path).getFileName().toString();
    }
}
