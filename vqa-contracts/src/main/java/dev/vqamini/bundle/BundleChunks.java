package dev.vqamini.bundle;

import com.google.protobuf.ByteString;
import dev.vqamini.wire.proto.ModelChunk;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A bundle archive cut into {@link ModelChunk}s that fit Kafka records (vqa.models), and put back together with
 * every chunk and the whole archive checked: a missing, duplicated, foreign or corrupt chunk is refused, so a
 * scorer never loads a half-received model.
 */
public final class BundleChunks {

    /** 4 MiB: well under the topic's 16 MiB limit, so a record with headers always fits. */
    public static final int CHUNK_BYTES = 4 * 1024 * 1024;

    private BundleChunks() {
    }

    public static List<ModelChunk> split(String modelName, String version, byte[] archive) {
        String sha = Digests.sha256(archive);
        int count = Math.max(1, (archive.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
        List<ModelChunk> chunks = new ArrayList<>(count);
        String manifest = manifest(archive);
        for (int i = 0; i < count; i++) {
            int from = i * CHUNK_BYTES;
            int to = Math.min(archive.length, from + CHUNK_BYTES);
            chunks.add(ModelChunk.newBuilder().setModelName(modelName).setModelVersion(version).setChunkIndex(i)
                    .setChunkCount(count).setTotalBytes(archive.length).setArchiveSha256(sha)
                    .setData(ByteString.copyFrom(archive, from, to - from)).setManifestJson(i == 0 ? manifest : "").build());
        }
        return chunks;
    }

    /** The archive, once all chunks of one version are there; an exception naming what is wrong otherwise. */
    public static byte[] join(Collection<ModelChunk> received) {
        if (received.isEmpty()) {
            throw new IllegalArgumentException("no chunks");
        }
        List<ModelChunk> chunks = new ArrayList<>(received);
        chunks.sort(Comparator.comparingInt(ModelChunk::getChunkIndex));
        ModelChunk first = chunks.get(0);
        String where = "model " + first.getModelVersion();
        if (chunks.size() != first.getChunkCount()) {
            throw new IllegalArgumentException(where + ": have " + chunks.size() + " of " + first.getChunkCount() + " chunks");
        }
        long held = chunks.stream().mapToLong(c -> c.getData().size()).sum();
        if (first.getTotalBytes() != held) {
            throw new IllegalArgumentException(where + ": chunks hold " + held + " bytes, the first announces "
                    + first.getTotalBytes());
        }
        byte[] archive = new byte[(int) held];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ModelChunk c = chunks.get(i);
            if (c.getChunkIndex() != i || !c.getModelVersion().equals(first.getModelVersion())
                    || !c.getArchiveSha256().equals(first.getArchiveSha256()) || at + c.getData().size() > archive.length) {
                throw new IllegalArgumentException(where + ": chunk " + c.getChunkIndex() + " does not belong (version "
                        + c.getModelVersion() + ", index " + i + " expected)");
            }
            c.getData().copyTo(archive, at);
            at += c.getData().size();
        }
        String sha = Digests.sha256(archive);
        if (at != archive.length || !sha.equals(first.getArchiveSha256())) {
            throw new IllegalArgumentException(where + ": archive sha256 " + sha + " != announced " + first.getArchiveSha256()
                    + " (" + at + " of " + archive.length + " bytes)");
        }
        return archive;
    }

    /** The archive's manifest.json, or "" when it has none (not a bundle zip). */
    static String manifest(byte[] archive) {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals("manifest.json")) {
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            // not a zip: a chunked archive without manifest
        }
        return "";
    }
}
