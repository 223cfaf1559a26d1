package dev.vqamini.ingest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/** Ingest tests: files allowed below one folder, a watched folder, and a small body limit to test refusals. */
public class IngestTestProfile implements QuarkusTestProfile {

    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vqa-ingest-test-" + ProcessHandle.current().pid());
    static final Path VIDEOS = ROOT.resolve("videos");
    static final Path WATCH = ROOT.resolve("watch");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("vqa.ingest.allowed-roots", VIDEOS.toString(), "vqa.ingest.watch-dir", WATCH.toString(),
                "vqa.ingest.watch-interval", "300ms", "quarkus.http.limits.max-body-size", "16M",
                "vqa.ingest.max-upload-bytes", "3000000",
                "vqa.ingest.workers", "2", "vqa.ingest.allowed-hosts", "127.0.0.1", "vqa.ingest.queue", "2", "vqa.ingest.group-id", "vqa-ingest-test");
    }
}
