package dev.vqamini.bundle;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vqamini.wire.proto.ModelChunk;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BundleChunks#join} on chunks a producer could send (vqa.models records, decoded or built from fuzzed
 * fields, the announced sha256 either honest or fuzzed): the archive or an {@link IllegalArgumentException} naming
 * what is wrong, never another exception, never an allocation the chunks do not back. Seeds and past findings:
 * {@code src/test/resources/dev/vqamini/release/BundleChunksFuzzTestInputs/join/}.
 */
class BundleChunksFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    void join(FuzzedDataProvider data) {
        List<ModelChunk> chunks = new ArrayList<>();
        int n = data.consumeInt(0, 5);
        boolean honestSha = data.consumeBoolean();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            if (data.consumeBoolean()) {
                try {
                    chunks.add(ModelChunk.parseFrom(data.consumeBytes(data.consumeInt(0, 256))));
                } catch (InvalidProtocolBufferException e) {
                    // not a record: the consumer never gets that far
                }
                continue;
            }
            ModelChunk.Builder c = ModelChunk.newBuilder().setModelName("m").setModelVersion(data.consumeString(4))
                    .setChunkIndex(data.consumeInt()).setChunkCount(data.consumeInt()).setTotalBytes(data.consumeLong())
                    .setArchiveSha256(data.consumeString(64));
            byte[] bytes = data.consumeBytes(data.consumeInt(0, 64));
            all.writeBytes(bytes);
            chunks.add(c.setData(ByteString.copyFrom(bytes)).build());
        }
        if (honestSha) {
            String sha = Digests.sha256(all.toByteArray());
            chunks.replaceAll(c -> c.toBuilder().setArchiveSha256(sha).build());
        }
        try {
            BundleChunks.join(chunks);
        } catch (IllegalArgumentException expected) {
            // the documented refusal
        }
    }
}
