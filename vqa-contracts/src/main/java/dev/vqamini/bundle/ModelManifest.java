package dev.vqamini.bundle;

import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code manifest.json} of a model bundle: what the version is, where it came from, what it costs, how well it
 * did, and the sha256 of every file beside it.
 *
 * @param formatVersion            bundle format, bumped on incompatible change
 * @param parent                   the version this one was derived from (pruning), or null
 * @param recipe                   the pruning recipe and settings, or null for an unpruned model
 * @param parameters               parameters used at inference, both branches
 * @param parametersWithClassifier plus the unused ImageNet classifiers a published state_dict carries
 * @param flopsPerClip             multiply-accumulates per 32 x 224 x 224 clip, both branches
 * @param evaluation               evaluation results (SRCC, PLCC, latency...), free-form
 * @param provenance               where the version came from, typed and replayable (format 1: only its notes)
 * @param files                    file name to sha256 (hex)
 * @param quantization             how the graphs were quantised, or null for fp32 graphs
 */
public record ModelManifest(int formatVersion, String name, String version, String parent, String recipe,
                            String createdAt, ModelSpec architecture, long parameters, long parametersWithClassifier,
                            long flopsPerClip, FusionConstants fusion, Map<String, Object> evaluation,
                            Provenance provenance, Map<String, String> files,
                            @JsonInclude(JsonInclude.Include.NON_NULL)
                            Quantization quantization) {

    /** 2: typed provenance. Format 1 bundles (provenance a string map) are still read, as notes. */
    public static final int FORMAT_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A manifest from its JSON.
     *
     * @throws IllegalArgumentException when it does not parse or is of another bundle format
     */
    public static ModelManifest parse(byte[] json) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(json);
            int format = tree.path("formatVersion").asInt(-1);
            if (format == 1 && tree.path("provenance").isObject()) {
                ObjectNode typed = JSON.createObjectNode();
                typed.set("notes", tree.get("provenance"));
                typed.put("parentVersion", tree.path("parent").asText(null));
                tree.set("provenance", typed);
            } else if (format != FORMAT_VERSION) {
                throw new IllegalArgumentException("bundle format " + format + ", this build reads 1 and " + FORMAT_VERSION);
            }
            return JSON.treeToValue(tree, ModelManifest.class);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("unreadable manifest: " + e.getMessage(), e);
        }
    }

    public static ModelManifest parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("manifest of " + version + " does not serialise: " + e.getMessage(), e);
        }
    }
}
