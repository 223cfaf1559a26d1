package dev.vqamini.model;

import dev.vqamini.spec.FusionConstants;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.spec.ModelSpec;
import dev.vqamini.model.weights.SpecInference;
import dev.vqamini.model.weights.PthReader;
import dev.vqamini.model.weights.Safetensors;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.WeightFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Turns what a user passes as {@code --weights} (a .pth, a .safetensors or a bundle directory) into a model definition. */
public final class ModelLoader {

    private ModelLoader() {
    }

    public static ModelDefinition load(Path path) {
        if (Files.isDirectory(path) || path.getFileName().toString().endsWith(".zip")) {
            return ModelBundle.read(path).definition();
        }
        String name = path.getFileName().toString();
        StateDict weights = name.endsWith(".safetensors") ? Safetensors.read(path) : PthReader.read(path);
        String sha = sha256(path);
        ModelSpec spec = SpecInference.infer(weights);
        return new ModelDefinition("dover-mobile", "dover-mobile-" + sha.substring(0, 12), spec, weights,
                FusionConstants.PUBLISHED, Map.of(
                        "weights.source", "user-supplied state_dict " + name,
                        "weights.sha256", sha,
                        "fusion.note", "upstream fusion constants: valid for the published DOVER-Mobile weights only"));
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new WeightFileException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
