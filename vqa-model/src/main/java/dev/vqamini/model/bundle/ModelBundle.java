package dev.vqamini.model.bundle;

import dev.vqamini.bundle.ModelManifest;
import dev.vqamini.bundle.Provenance;
import dev.vqamini.bundle.Quantization;
import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.model.weights.SpecInference;
import dev.vqamini.model.weights.Safetensors;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.WeightFileException;
import dev.vqamini.clips.View;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import dev.vqamini.model.weights.FileSniff;
import java.io.ByteArrayInputStream;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;

/**
 * A model version on disk: a directory (or a zip of it) with {@code manifest.json}, {@code weights.safetensors}
 * (the source of truth, which pruning reads) and one ONNX graph per branch taking uint8 RGB input (what any
 * ONNX Runtime user loads and what scorers serve: fp32, or INT8 when the manifest records a quantization). Reading verifies every sha256 and that the manifest's architecture matches the weights.
 */
public record ModelBundle(ModelManifest manifest, ModelDefinition definition, Map<View, byte[]> graphs) {

    public static final String MANIFEST = ServingBundle.MANIFEST;
    public static final String WEIGHTS = "weights.safetensors";

    public static String onnxFile(View view) {
        return ServingBundle.onnxFile(view);
    }

    /** Writes an unpruned {@code definition} (loaded, imported or fitted) as a bundle directory. */
    public static ModelBundle write(ModelDefinition definition, Path dir) throws IOException {
        return write(definition, dir, unprunedProvenance(definition), Map.of());
    }

    /** The provenance of a definition that was not pruned, from what its notes say of its heads. */
    public static Provenance unprunedProvenance(ModelDefinition definition) {
        return Provenance.unpruned(definition.spec(), definition.heads(), definition.notes());
    }

    /**
     * Writes {@code definition} as a bundle directory; {@code provenance} goes into the manifest and both graphs.
     *
     * @param evaluation evaluation results to record
     */
    public static ModelBundle write(ModelDefinition definition, Path dir, Provenance provenance,
                                    Map<String, Object> evaluation) throws IOException {
        Map<View, byte[]> graphs = new EnumMap<>(View.class);
        for (View view : View.values()) {
            graphs.put(view, QualityModel.onnx(definition, view, InputFormat.RGB_UINT8,
                    Map.of(Provenance.METADATA_KEY, provenance.canonicalJson())));
        }
        String recipe = provenance.recipeInWords();
        return write(definition, dir, provenance, evaluation, graphs, provenance.parentVersion(), recipe, null);
    }

    /**
     * Writes a quantised version of {@code source}: its fp32 weights, the given INT8 graphs (built with
     * {@code provenance} in their metadata), and a manifest naming the source as parent and recording how.
     */
    public static ModelBundle writeQuantized(ModelDefinition source, String version, Path dir, Provenance provenance,
                                             Map<View, byte[]> graphs, Quantization quantization) throws IOException {
        String recipe = (provenance.recipe() == null ? "" : provenance.recipeInWords() + ", then ")
                + "int8 " + String.join("+", quantization.layers());
        return write(source.withVersion(version, provenance.notes()), dir, provenance, Map.of(), graphs,
                source.version(), recipe, quantization);
    }

    private static ModelBundle write(ModelDefinition definition, Path dir, Provenance provenance, Map<String, Object> evaluation,
                                     Map<View, byte[]> graphs, String parent, String recipe, Quantization quantization)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, String> files = new LinkedHashMap<>();
        Path weights = dir.resolve(WEIGHTS);
        Safetensors.write(definition.weights(), Map.of("name", definition.name(), "version", definition.version()), weights);
        files.put(WEIGHTS, ModelLoader.sha256(weights));
        for (View view : View.values()) {
            Path onnx = dir.resolve(onnxFile(view));
            Files.write(onnx, graphs.get(view));
            files.put(onnxFile(view), ModelLoader.sha256(onnx));
        }
        ModelComplexity c = ModelComplexity.of(definition.spec(), 32, 224, 224);
        long classifiers = ModelComplexity.classifierParameters(definition.spec().technical())
                + ModelComplexity.classifierParameters(definition.spec().aesthetic());
        ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, definition.name(), definition.version(),
                parent, recipe, Instant.now().toString(), definition.spec(), c.parameters(),
                c.parameters() + classifiers, c.flops(), definition.fusion(), evaluation, provenance, files, quantization);
        Files.write(dir.resolve(MANIFEST), manifest.toJson());
        return new ModelBundle(manifest, definition, Map.copyOf(graphs));
    }

    /** The serving part (the manifest as written, the graphs) that vqa.models carries, from memory. */
    public ServingBundle serving() {
        return new ServingBundle(manifest, manifest.toJson(), null, graphs);
    }

    /** The serving part of {@code definition}'s bundle in {@code dir}: read if one is there, written first if not. */
    public static ServingBundle servingOf(ModelDefinition definition, Path dir) throws IOException {
        return Files.isRegularFile(dir.resolve(MANIFEST)) ? ServingBundle.read(dir) : write(definition, dir).serving();
    }

    /** Reads a bundle directory or zip archive, checking checksums and architecture. */
    public static ModelBundle read(Path path) {
        if (!Files.isDirectory(path)) {
            try {
                Path dir = Files.createTempDirectory("vqa-bundle");
                unzip(Files.readAllBytes(path), dir);
                return read(dir);
            } catch (IOException e) {
                throw new WeightFileException(path + ": not a readable model bundle archive (" + e.getMessage() + "): "
                        + FileSniff.describe(path), e);
            }
        }
        Path manifestFile = path.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new WeightFileException(path + ": not a model bundle (no " + MANIFEST + "; vqa import-weights and vqa prune"
                    + " write bundles): " + FileSniff.describe(path));
        }
        ModelManifest manifest;
        try {
            manifest = ModelManifest.parse(Files.readAllBytes(manifestFile));
        } catch (IOException | IllegalArgumentException e) {
            throw new WeightFileException(manifestFile + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> f : manifest.files().entrySet()) {
            Path file = path.resolve(f.getKey());
            if (!Files.isRegularFile(file)) {
                throw new WeightFileException(path + ": bundle file " + f.getKey() + " is missing");
            }
            String actual = ModelLoader.sha256(file);
            if (!actual.equals(f.getValue())) {
                throw new WeightFileException(path + ": " + f.getKey() + " has sha256 " + actual + " but the manifest says "
                        + f.getValue() + " (corrupt or tampered)");
            }
        }
        StateDict weights = Safetensors.read(path.resolve(WEIGHTS));
        if (!SpecInference.infer(weights).equals(manifest.architecture())) {
            throw new WeightFileException(path + ": manifest architecture does not match the weights' shapes");
        }
        ModelDefinition definition = new ModelDefinition(manifest.name(), manifest.version(), manifest.architecture(),
                weights, manifest.fusion(), manifest.provenance().notes());
        Map<View, byte[]> graphs = new EnumMap<>(View.class);
        for (View view : View.values()) {
            try {
                graphs.put(view, Files.readAllBytes(path.resolve(onnxFile(view))));
            } catch (IOException e) {
                throw new WeightFileException(path + ": cannot read " + onnxFile(view) + ": " + e.getMessage(), e);
            }
        }
        return new ModelBundle(manifest, definition, Map.copyOf(graphs));
    }

    /** The bundle directory as one zip archive (what travels on vqa.models). */
    public static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Unpacks an archive made by {@link #zip}; refuses entries that would escape {@code dir}. */
    public static void unzip(byte[] archive, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry e;
            int entries = 0;
            while ((e = zip.getNextEntry()) != null) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.getParent().equals(dir.normalize()) || e.isDirectory()) {
                    throw new IOException("unexpected archive entry '" + e.getName() + "'");
                }
                Files.copy((InputStream) zip, target, StandardCopyOption.REPLACE_EXISTING);
                entries++;
            }
            if (entries == 0) {
                throw new IOException("empty or not a zip archive");
            }
        }
    }
}
