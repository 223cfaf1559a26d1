package dev.vqamini.model.bundle;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.release.ModelManifest;
import dev.vqamini.release.ManifestSignature;
import dev.vqamini.release.ModelPublisher;
import dev.vqamini.release.RolloutEdits;
import dev.vqamini.release.RolloutWriter;
import dev.vqamini.release.ServingBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Releasing a model version: its bundle's serving part (manifest and graphs) published on vqa.models, and, for a
 * first version, made stable on vqa.rollouts. The one publish sequence of the CLI, the demo and pruning-service.
 */
public final class ModelRelease {

    /** What was published: the version, its chunks and the bytes they carry. */
    public record Published(ModelManifest manifest, int chunks, long bytes) {
    }

    private ModelRelease() {
    }

    /** Publishes the serving part of a bundle directory (as it is: signed if it carries a signature). */
    public static Published publish(KafkaClientSettings kafka, Path bundleDir)
            throws IOException, InterruptedException, ExecutionException {
        return publish(kafka, bundleDir, null);
    }

    /** Signs the bundle's manifest with {@code signKey} (Ed25519; null: leave it as it is), then publishes it. */
    public static Published publish(KafkaClientSettings kafka, Path bundleDir, PrivateKey signKey)
            throws IOException, InterruptedException, ExecutionException {
        if (signKey != null) {
            ManifestSignature.signBundle(bundleDir, signKey);
        }
        ModelManifest manifest = ModelManifest.parse(Files.readAllBytes(bundleDir.resolve(ServingBundle.MANIFEST)));
        byte[] archive = ServingBundle.archive(bundleDir);
        int chunks = ModelPublisher.publish(kafka, manifest.name(), manifest.version(), archive);
        return new Published(manifest, chunks, archive.length);
    }

    /**
     * Writes {@code model} as a bundle under {@code bundleDir} (unless one is there), publishes it and makes it the
     * stable version of its model.
     */
    public static Published publishStable(KafkaClientSettings kafka, ModelDefinition model, Path bundleDir,
                                          PrivateKey signKey) throws IOException, InterruptedException, ExecutionException {
        if (!Files.isRegularFile(bundleDir.resolve(ServingBundle.MANIFEST))) {
            ModelBundle.write(model, bundleDir);
        }
        Published published = publish(kafka, bundleDir, signKey);
        new RolloutWriter(kafka).apply(model.name(), RolloutEdits.promote(model.version()));
        return published;
    }
}
