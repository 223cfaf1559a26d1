package dev.vqamini.scorer;

import dev.vqamini.release.ModelRelease;
import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.serde.WireSerdes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.vqamini.clips.View;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.WireViews;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.ModelChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Tiny model versions (good and broken) and videos of 4 x 64 x 64 clips for the scorer's tests. */
final class ScorerFixtures {

    static final String MODEL = "dover-mobile";
    static final int T = 4;
    static final int H = 64;
    static final int W = 64;

    private ScorerFixtures() {
    }

    static ModelDefinition tiny(String version, int seed) {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 6, 2}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        return new ModelDefinition(MODEL, version, spec, RandomWeights.generate(spec, seed), FusionConstants.PUBLISHED, Map.of());
    }

    static Path bundleDir(ModelDefinition def) throws Exception {
        Path dir = Files.createTempDirectory("scorer-test-" + def.version());
        ModelBundle.write(def, dir);
        return dir;
    }

    /** A good version, as a prune job or {@code vqa publish} would put it on vqa.models. */
    static void publish(String servers, String version, int seed) throws Exception {
        ModelRelease.publish(KafkaClientSettings.plaintext(servers, "scorer-test"), bundleDir(tiny(version, seed)), null);
    }

    /** Chunks whose data was altered after the checksum was taken. */
    static void publishCorruptChunk(String servers, String version) throws Exception {
        byte[] archive = ServingBundle.archive(bundleDir(tiny(version, 5)));
        List<ModelChunk> chunks = new ArrayList<>(BundleChunks.split(MODEL, version, archive));
        ModelChunk first = chunks.get(0);
        byte[] data = first.getData().toByteArray();
        data[data.length / 2] ^= 0x5A;
        chunks.set(0, first.toBuilder().setData(ByteString.copyFrom(data)).build());
        send(servers, version, chunks);
    }

    /** A bundle whose checksums are right but whose technical graph is not ONNX at all. */
    static void publishNotOnnx(String servers, String version) throws Exception {
        Path dir = bundleDir(tiny(version, 6));
        replace(dir, ModelBundle.onnxFile(View.TECHNICAL), "this is not an ONNX model".getBytes());
        ModelRelease.publish(KafkaClientSettings.plaintext(servers, "scorer-test"), dir, null);
    }

    /** A bundle whose aesthetic graph takes normalised float input instead of uint8 pixels. */
    static void publishWrongInput(String servers, String version) throws Exception {
        ModelDefinition def = tiny(version, 7);
        Path dir = bundleDir(def);
        replace(dir, ModelBundle.onnxFile(View.AESTHETIC), QualityModel.onnx(def, View.AESTHETIC, InputFormat.NORMALISED_FLOAT));
        ModelRelease.publish(KafkaClientSettings.plaintext(servers, "scorer-test"), dir, null);
    }

    /** Replaces a bundle file and its checksum in the manifest, so only the content is wrong. */
    private static void replace(Path dir, String file, byte[] content) throws Exception {
        Files.write(dir.resolve(file), content);
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(dir.resolve(ModelBundle.MANIFEST).toFile());
        ((ObjectNode) manifest.get("files")).put(file, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(), manifest);
    }

    private static void send(String servers, String version, List<ModelChunk> chunks) throws Exception {
        Map<String, Object> settings = KafkaClientSettings.plaintext(servers, "scorer-test").largeRecordProducer("models");
        try (KafkaProducer<String, ModelChunk> p = new KafkaProducer<>(settings, new StringSerializer(),
                WireSerdes.models().serializer())) {
            for (ModelChunk c : chunks) {
                p.send(new ProducerRecord<>(TopicCatalog.MODELS.name(), TopicCatalog.modelChunkKey(version, c.getChunkIndex()), c)).get();
            }
        }
    }

    /** The 4 records of one video: 3 technical clips and 1 aesthetic clip of random pixels. */
    static List<FragmentClip> video(String id, String uploadId, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<FragmentClip> out = new ArrayList<>();
        for (View view : View.values()) {
            int count = view == View.TECHNICAL ? 3 : 1;
            for (int c = 0; c < count; c++) {
                byte[] px = new byte[3 * T * H * W];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (byte) rnd.nextInt(256);
                }
                FragmentClip.Builder b = FragmentClip.newBuilder().setVideoId(id).setUploadId(uploadId)
                        .setView(WireViews.toWire(view)).setClipIndex(c).setClipCount(count).setBatch(1).setChannels(3)
                        .setFrames(T).setHeight(H).setWidth(W).setPixels(ByteString.copyFrom(px))
                        .setIngestTimeMs(System.currentTimeMillis()).setMos(3.0).setDataset("test");
                for (int t = 0; t < T; t++) {
                    b.addFrameIndices(t);
                }
                out.add(b.build());
            }
        }
        return out;
    }
}
