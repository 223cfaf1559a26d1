package dev.vqamini.serving;

import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import ai.onnxruntime.OrtException;
import dev.vqamini.clips.View;

/**
 * Real, tiny model versions for the serving tests: DOVER-shaped graphs (8..32 channels) on 4 x 64 x 64 clips, as
 * bundle archives and as {@link ServingModel}s in real ONNX Runtime sessions (CPU, one thread).
 */
final class TinyVersions {

    static final String MODEL = "dover-mobile";
    static final ClipShape CLIP = new ClipShape(4, 64, 64);
    static final int MAX_BATCH = 4;
    static final RunnerOptions CPU = RunnerOptions.defaults().cpuOnly().withThreads(1);

    private static final Map<String, byte[]> ARCHIVES = new ConcurrentHashMap<>();

    private TinyVersions() {
    }

    /** The bundle archive of a version; versions differ by their random weights (seed from the name). */
    static byte[] archive(String version) {
        return ARCHIVES.computeIfAbsent(version, v -> {
            BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 6, 2}, 8);
            ModelSpec spec = new ModelSpec(b, b);
            ModelDefinition def = new ModelDefinition(MODEL, v, spec, RandomWeights.generate(spec, v.hashCode()),
                    FusionConstants.PUBLISHED, Map.of());
            try {
                Path dir = Files.createTempDirectory("serving-test-" + v);
                try {
                    ModelBundle.write(def, dir);
                    return ServingBundle.archive(dir);
                } finally {
                    try (var files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The chunks a publisher puts on vqa.models for a version. */
    static List<ModelChunk> chunks(String version) {
        return BundleChunks.split(MODEL, version, archive(version));
    }

    /** The production loader: joined archive to checked ServingModel. */
    static ServingModel load(String version, byte[] archive) throws ModelRefusedException {
        return ServingModel.load(version, archive, CPU, CLIP, MAX_BATCH);
    }

    static ServingModel load(String version) throws ModelRefusedException {
        return load(version, archive(version));
    }

    static Rollout stable(String version) {
        return Rollout.newBuilder().setModelName(MODEL).setStableVersion(version).build();
    }

    static Rollout canary(String stable, String candidate, double weight) {
        return stable(stable).toBuilder().addCandidates(RolloutCandidate.newBuilder().setModelVersion(candidate)
                .setTrafficWeight(weight).setRangeStart(0)).build();
    }

    /** One clip of random pixels. */
    static byte[] clip(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[CLIP.bytes()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) r.nextInt(256);
        }
        return px;
    }

    /** Whether the model's sessions are closed: ONNX Runtime refuses runs on a closed session. */
    static boolean closed(ServingModel model) {
        try {
            model.score(View.TECHNICAL, clip(0), 1, CLIP);
            return false;
        } catch (IllegalStateException e) {
            return true;
        } catch (OrtException e) {
            throw new AssertionError("run failed on an open session", e);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
