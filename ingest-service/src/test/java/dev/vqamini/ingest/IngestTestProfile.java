package dev.vqamini.ingest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/** Ingest tests: files allowed below one folder, a watched folder, a spool of its own, and a small body limit to test refusals. */
public class IngestTestProfile implements QuarkusTestProfile {

    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vqa-ingest-test-" + ProcessHandle.current().pid());
    static final Path VIDEOS = ROOT.resolve("videos");
    static final Path WATCH = ROOT.resolve("watch");
    static final Path SPOOL = ROOT.resolve("spool");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(Map.entry("vqa.ingest.allowed-roots", VIDEOS.toString()),
                Map.entry("vqa.ingest.watch-dir", WATCH.toString()), Map.entry("vqa.ingest.watch-interval", "300ms"),
                Map.entry("quarkus.http.limits.max-body-size", "16M"), Map.entry("vqa.ingest.max-upload-bytes", "3000000"),
                Map.entry("vqa.ingest.workers", "2"), Map.entry("vqa.ingest.allowed-hosts", "127.0.0.1"),
                Map.entry("vqa.ingest.queue", "2"), Map.entry("vqa.ingest.group-id", "vqa-ingest-test"),
                Map.entry("vqa.ingest.spool-dir", SPOOL.toString()));
    }
}
