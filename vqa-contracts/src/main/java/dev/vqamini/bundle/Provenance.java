package dev.vqamini.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vqamini.clips.View;
import dev.vqamini.spec.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.io.InputStreamReader;

/**
 * Where a model version came from, as data that can be checked and replayed: the architecture's hash, the parent and
 * its architecture's hash, the recipe with its full configuration, every pruning step with every kept channel index,
 * where the heads came from, a digest of the calibration set, and the build that made it. Written into the manifest
 * and, as canonical JSON, into both ONNX graphs' metadata ({@link #METADATA_KEY}), where a scorer checks they agree.
 *
 * @param specHash          sha256 of this version's architecture (canonical JSON of its {@link ModelSpec})
 * @param parentVersion     the version it was pruned from, or null
 * @param parentSpecHash    the parent's architecture hash, or null: replay checks the weights it is given against it
 * @param recipe            the pruning recipe's name, or null for an unpruned model
 * @param config            the recipe's full configuration (field to value), empty for an unpruned model
 * @param history           the structural pruning steps in order (empty for unstructured or no pruning)
 * @param heads             where the regression heads came from
 * @param calibrationDigest sha256 over the calibration videos' ids and labels, or null
 * @param buildVersion      the VQA-Mini version that wrote it
 * @param notes             free-form facts (weights source and sha256, fusion notes)
 */
public record Provenance(String specHash, String parentVersion, String parentSpecHash, String recipe,
                         Map<String, Object> config, List<PruningStep> history, HeadsSource heads,
                         String calibrationDigest, String buildVersion, Map<String, String> notes) {

    /** The ONNX metadata key holding the canonical JSON. */
    public static final String METADATA_KEY = "vqa.provenance";
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    /** Where a version's regression heads came from. */
    public enum HeadsSource {
        /** As the loaded weights had them (a published checkpoint). */
        AS_LOADED,
        /** Seeded random (the bootstrap model before its heads are fitted). */
        RANDOM,
        /** Fitted by ridge regression on MOS labels. */
        FITTED_ON_LABELS,
        /** Distilled from the parent's head maps (no labels needed). */
        DISTILLED_FROM_PARENT
    }

    /** What a pruning step removes or keeps. */
    public enum GroupKind { HIDDEN, RESIDUAL, BLOCK }

    /**
     * One structural step: in {@code view}, the group ({@code kind}, {@code stage}, {@code block}; block -1 for a
     * stage's residual width) keeps exactly the channels {@code kept} (all of them listed; empty: the block is removed).
     */
    public record PruningStep(View view, GroupKind kind, int stage, int block, int[] kept) {

        @Override
        public boolean equals(Object o) {
            return o instanceof PruningStep s && s.view == view && s.kind == kind && s.stage == stage && s.block == block
                    && Arrays.equals(s.kept, kept);
        }

        @Override
        public int hashCode() {
            return ((view.hashCode() * 31 + kind.hashCode()) * 31 + stage) * 31 + block + 17 * Arrays.hashCode(kept);
        }

        @Override
        public String toString() {
            return view.key() + "." + kind + "[" + stage + "," + block + "] keep " + Arrays.toString(kept);
        }
    }

    public Provenance {
        config = config == null ? Map.of() : Map.copyOf(config);
        history = history == null ? List.of() : List.copyOf(history);
        notes = notes == null ? Map.of() : Map.copyOf(notes);
    }

    /** A version that was not pruned: loaded, imported or fitted. */
    public static Provenance unpruned(ModelSpec spec, HeadsSource heads, Map<String, String> notes) {
        return new Provenance(specHash(spec), null, null, null, Map.of(), List.of(), heads, null, currentBuild(), notes);
    }

    /** sha256 of the canonical JSON of an architecture. */
    public static String specHash(ModelSpec spec) {
        try {
            return Digests.sha256(CANONICAL.writeValueAsBytes(spec));
        } catch (IOException e) {
            throw new IllegalStateException("architecture does not serialise: " + e.getMessage(), e);
        }
    }

    /** The canonical JSON written into the ONNX metadata (sorted keys, so equal provenance gives equal bytes). */
    /**
     * The recipe as an operator reads it, e.g. "layer-specific+channel to 20 % of the parameters (activation
     * importance, channels in multiples of 8, heads refitted to the teacher)"; null for an unpruned model.
     */
    public String recipeInWords() {
        if (recipe == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(recipe);
        Map<String, Object> c = config == null ? Map.of() : config;
        if (c.get("targetParams") instanceof Number p && p.doubleValue() > 0 && p.doubleValue() < 1) {
            b.append(String.format(Locale.ROOT, " to %.0f %% of the parameters", 100 * p.doubleValue()));
        }
        if (c.get("targetFlops") instanceof Number f && f.doubleValue() > 0 && f.doubleValue() < 1) {
            b.append(String.format(Locale.ROOT, " to %.0f %% of the FLOPs", 100 * f.doubleValue()));
        }
        List<String> details = new ArrayList<>();
        if (c.get("importance") != null) {
            details.add(c.get("importance").toString().toLowerCase(Locale.ROOT) + " importance");
        }
        if (c.get("channelMultiple") instanceof Number m && m.intValue() > 1) {
            details.add("channels in multiples of " + m.intValue());
        }
        if (Boolean.TRUE.equals(c.get("globalSparsity"))) {
            details.add("global sparsity");
        }
        if (c.get("refitTarget") != null) {
            details.add("heads refitted to the " + (c.get("refitTarget").toString().equalsIgnoreCase("labels") ? "labels" : "teacher"));
        }
        return details.isEmpty() ? b.toString() : b + " (" + String.join(", ", details) + ")";
    }

    public String canonicalJson() {
        try {
            return CANONICAL.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("provenance does not serialise: " + e.getMessage(), e);
        }
    }

    /** This build's version (from the jar), "dev" when run from classes. */
    public static String currentBuild() {
        try (InputStream in = Provenance.class.getResourceAsStream("/vqa-build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
