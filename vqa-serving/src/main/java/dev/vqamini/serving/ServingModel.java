package dev.vqamini.serving;

import dev.vqamini.model.runtime.Device;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.vqamini.clips.View;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.bundle.ModelManifest;
import dev.vqamini.bundle.ManifestSignature;
import dev.vqamini.bundle.Provenance;
import dev.vqamini.bundle.ServingBundle;
import java.security.PublicKey;
import dev.vqamini.model.onnx.GraphNames;
import dev.vqamini.model.runtime.BranchRunner;
import dev.vqamini.model.runtime.RunnerOptions;
import java.util.EnumMap;
import java.util.Map;
import java.util.Arrays;

/**
 * One model version in service: the two ONNX graphs of its serving bundle in ONNX Runtime sessions, checked before
 * use; the weights are never read. {@link #load} refuses a version whose bundle is corrupt (checksums, manifest), whose graphs do not load or do not
 * have DOVER's signature (uint8 pixels N x 3 x T x H x W in, per-clip scores out), or whose probe inference at
 * the maximum batch size gives non-finite numbers. The probe is also the warm-up.
 */
public final class ServingModel implements AutoCloseable {

    private final ModelManifest manifest;
    private final Map<View, BranchRunner> branches;
    private final double loadSeconds;

    private ServingModel(ModelManifest manifest, Map<View, BranchRunner> branches, double loadSeconds) {
        this.manifest = manifest;
        this.branches = branches;
        this.loadSeconds = loadSeconds;
    }

    /**
     * Loads and checks a bundle archive (as joined from vqa.models).
     *
     * @param version the version the chunks announced; the manifest must agree
     */
    public static ServingModel load(String version, byte[] archive, RunnerOptions options, ClipShape clip, int maxBatch)
            throws ModelRefusedException {
        return load(version, archive, null, options, clip, maxBatch);
    }

    /**
     * Like {@link #load(String, byte[], RunnerOptions, ClipShape, int)}, refusing, when {@code verifyKey} is set, a
     * version whose manifest is unsigned or not signed by that key (before any graph is loaded).
     */
    public static ServingModel load(String version, byte[] archive, PublicKey verifyKey, RunnerOptions options,
                                    ClipShape clip, int maxBatch) throws ModelRefusedException {
        long t0 = System.nanoTime();
        ServingBundle bundle;
        try {
            bundle = ServingBundle.read(archive);
        } catch (RuntimeException e) {
            throw new ModelRefusedException(version, RefusalCheck.BUNDLE, String.valueOf(e.getMessage()), e);
        }
        ModelManifest manifest = bundle.manifest();
        if (!manifest.version().equals(version)) {
            throw new ModelRefusedException(version, RefusalCheck.BUNDLE, "manifest names version " + manifest.version(), null);
        }
        if (verifyKey != null) {
            if (bundle.signature() == null) {
                throw new ModelRefusedException(version, RefusalCheck.SIGNATURE, "unsigned, and this scorer only serves"
                        + " versions signed with its verify key (vqa.models.verify-key)", null);
            }
            if (!ManifestSignature.verify(bundle.manifestJson(), bundle.signature(), verifyKey)) {
                throw new ModelRefusedException(version, RefusalCheck.SIGNATURE, ManifestSignature.FILE
                        + " is not a signature of its manifest by this scorer's verify key (vqa.models.verify-key)", null);
            }
        }
        Map<View, BranchRunner> branches = new EnumMap<>(View.class);
        try {
            for (View view : View.values()) {
                BranchRunner runner;
                try {
                    runner = new BranchRunner(bundle.graphs().get(view), GraphNames.PIXELS, options);
                } catch (OrtException e) {
                    throw new ModelRefusedException(version, RefusalCheck.ONNX, view.key() + " graph does not load: " + e.getMessage(), e);
                }
                branches.put(view, runner);
                checkProvenance(version, view, runner, manifest);
                checkSignature(version, view, runner);
                probe(version, view, runner, clip, maxBatch);
            }
        } catch (ModelRefusedException e) {
            branches.values().forEach(ServingModel::closeQuietly);
            throw e;
        }
        return new ServingModel(manifest, branches, (System.nanoTime() - t0) / 1e9);
    }

    /** A graph that carries provenance must carry the manifest's: a graph from another version is refused. */
    private static void checkProvenance(String version, View view, BranchRunner runner, ModelManifest manifest)
            throws ModelRefusedException {
        String inGraph;
        try {
            inGraph = runner.metadata().get(Provenance.METADATA_KEY);
        } catch (OrtException e) {
            throw new ModelRefusedException(version, RefusalCheck.ONNX, view.key() + " graph metadata unreadable: "
                    + e.getMessage(), e);
        }
        if (inGraph == null) {
            return; // graphs written before provenance was typed (bundle format 1)
        }
        if (manifest.provenance() == null || !inGraph.equals(manifest.provenance().canonicalJson())) {
            throw new ModelRefusedException(version, RefusalCheck.BUNDLE, view.key()
                    + " graph's provenance differs from the manifest's (a graph of another version?)", null);
        }
    }

    private static void checkSignature(String version, View view, BranchRunner runner) throws ModelRefusedException {
        try {
            Map<String, NodeInfo> in = runner.inputs();
            NodeInfo pixels = in.get(GraphNames.PIXELS);
            if (in.size() != 1 || pixels == null || !(pixels.getInfo() instanceof TensorInfo t)
                    || t.type != OnnxJavaType.UINT8 || t.getShape().length != 5 || t.getShape()[1] != 3) {
                throw new ModelRefusedException(version, RefusalCheck.GRAPH, view.key() + " graph takes " + in
                        + ", expected one uint8 input '" + GraphNames.PIXELS + "' of shape N x 3 x T x H x W", null);
            }
            if (!runner.outputs().containsKey(GraphNames.SCORE) || !runner.outputs().containsKey(GraphNames.HEAD_MAP)) {
                throw new ModelRefusedException(version, RefusalCheck.GRAPH, view.key() + " graph has outputs "
                        + runner.outputs().keySet() + ", expected '" + GraphNames.SCORE + "' and '" + GraphNames.HEAD_MAP + "'", null);
            }
        } catch (OrtException e) {
            throw new ModelRefusedException(version, RefusalCheck.GRAPH, e.getMessage(), e);
        }
    }

    private static void probe(String version, View view, BranchRunner runner, ClipShape clip, int maxBatch)
            throws ModelRefusedException {
        float[] scores;
        try {
            byte[] grey = new byte[maxBatch * clip.bytes()];
            Arrays.fill(grey, (byte) 128);
            scores = runner.runPixels(grey, new long[] {maxBatch, 3, clip.frames(), clip.height(), clip.width()}).scores();
        } catch (OrtException | RuntimeException e) {
            throw new ModelRefusedException(version, RefusalCheck.PROBE, view.key() + " graph fails on " + maxBatch + " x 3 x "
                    + clip.frames() + " x " + clip.height() + " x " + clip.width() + ": " + e.getMessage(), e);
        }
        if (scores.length != maxBatch) {
            throw new ModelRefusedException(version, RefusalCheck.PROBE, view.key() + " graph gave " + scores.length + " scores for "
                    + maxBatch + " clips", null);
        }
        for (float s : scores) {
            if (!Float.isFinite(s)) {
                throw new ModelRefusedException(version, RefusalCheck.PROBE, view.key() + " graph gave a non-finite score " + s, null);
            }
        }
    }

    public String version() {
        return manifest.version();
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public FusionConstants fusion() {
        return manifest.fusion();
    }

    public double loadSeconds() {
        return loadSeconds;
    }

    public String provider() {
        return branches.get(View.TECHNICAL).provider();
    }

    public Device device() {
        return branches.get(View.TECHNICAL).device();
    }

    /** Per-clip scores of {@code clips} clips of one view, packed uint8 N x 3 x T x H x W. */
    public float[] score(View view, byte[] pixels, int clips, ClipShape clip) throws OrtException {
        return branches.get(view).runPixels(pixels, new long[] {clips, 3, clip.frames(), clip.height(), clip.width()}).scores();
    }

    @Override
    public void close() {
        branches.values().forEach(ServingModel::closeQuietly);
    }

    private static void closeQuietly(BranchRunner r) {
        try {
            r.close();
        } catch (OrtException e) {
            // nothing a caller could do about a session that fails to close
        }
    }
}
