package dev.vqamini.files;

import dev.vqamini.bundle.Provenance;
import dev.vqamini.heads.FittedModel;
import dev.vqamini.heads.VideoFeatures;
import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.model.BootstrapModel;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.QualityModel;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import dev.vqamini.views.ViewSampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.Comparator;

/**
 * The default model as DESIGN.md defines it: the bootstrap backbone (seeded random weights) with heads fitted on
 * synthetic distorted videos ({@code vqa synth}, fixed seed) to their pseudo-MOS. Built once per machine,
 * reproducibly, and cached as a bundle; its version says what it is.
 */
public final class BootstrapHeads {

    public static final String VERSION = BootstrapModel.VERSION + "-synthfit2"; // 2: fitted on the views of thirds (issue 9)
    static final int FIT_VIDEOS = 24;
    static final long FIT_SEED = 7L;

    private BootstrapHeads() {
    }

    /** {@code -Dvqa.home}, {@code $VQA_HOME} or {@code ~/.cache/vqa-mini}. */
    public static Path defaultCache() {
        String home = System.getProperty("vqa.home", System.getenv("VQA_HOME"));
        return home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "vqa-mini");
    }

    /** The cached fitted bootstrap model, fitting it first if this machine has none. */
    public static synchronized ModelDefinition load(Path cache, RunnerOptions options, Consumer<String> progress) {
        Path bundle = cache.resolve(VERSION);
        if (Files.isRegularFile(bundle.resolve(ModelBundle.MANIFEST))) {
            return ModelBundle.read(bundle).definition();
        }
        progress.accept("fitting the bootstrap model's heads on " + FIT_VIDEOS + " synthetic videos (once; cached in " + bundle + ")");
        try {
            Path videos = Files.createTempDirectory("vqa-bootstrap-fit");
            List<SynthVideo> synth = new SynthGenerator(SynthGenerator.Settings.defaults()).generate(videos, FIT_VIDEOS, FIT_SEED,
                    v -> { });
            ViewSampler sampler = new ViewSampler();
            List<CalibrationVideo> calibration = synth.stream().map(v -> new CalibrationVideo(v.file().getFileName().toString(),
                    OptionalDouble.of(v.mos()), () -> sampler.sample(v.file(), FIT_SEED))).toList();
            ModelDefinition raw = BootstrapModel.definition();
            List<VideoFeatures> features;
            try (QualityModel model = new QualityModel(raw, options)) {
                features = VideoFeatures.extract(model, calibration, progress);
            }
            FittedModel fitted = FittedModel.fit(raw, features, v -> v.mos().getAsDouble(), v -> v.mos().getAsDouble());
            Map<String, String> provenance = new LinkedHashMap<>(raw.notes());
            provenance.put("heads", "ridge fit to the pseudo-MOS of " + FIT_VIDEOS + " synthetic videos (vqa synth, seed "
                    + FIT_SEED + ")");
            ModelDefinition definition = fitted.definition().withVersion(VERSION, provenance);
            Path staging = Files.createTempDirectory(Files.createDirectories(cache), "staging");
            String spec = Provenance.specHash(definition.spec());
            ModelBundle.write(definition, staging, new Provenance(spec, raw.version(), spec, null, Map.of(), List.of(),
                    Provenance.HeadsSource.FITTED_ON_LABELS, null, Provenance.currentBuild(), provenance), Map.of());
            Files.move(staging, bundle, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(videos);
            return definition;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the bootstrap model in " + cache + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
