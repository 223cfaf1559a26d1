package dev.vqamini.release;

import dev.vqamini.bundle.ManifestSignature;
import dev.vqamini.bundle.ModelManifest;
import dev.vqamini.bundle.ServingBundle;
import dev.vqamini.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.concurrent.ExecutionException;

/**
 * Releasing a model version: its serving part (manifest and graphs) published on vqa.models and, for a first version,
 * made stable on vqa.rollouts. The one publish sequence of the CLI, the demo and pruning-service.
 */
public final class ModelRelease {

    /** What was published: the version, its chunks and the bytes they carry. */
    public record Published(ModelManifest manifest, int chunks, long bytes) {
    }

    private ModelRelease() {
    }

    /** Publishes a serving bundle held in memory, signed with {@code signKey} first (Ed25519; null: as it is). */
    public static Published publish(KafkaClientSettings kafka, ServingBundle bundle, PrivateKey signKey)
            throws InterruptedException, ExecutionException {
        ServingBundle served = signKey == null ? bundle : bundle.signed(signKey);
        byte[] archive = served.archive();
        int chunks = ModelPublisher.publish(kafka, served.manifest().name(), served.manifest().version(), archive);
        return new Published(served.manifest(), chunks, archive.length);
    }

    /**
     * Publishes the serving part of a bundle directory a user points at; with {@code signKey} the directory is signed
     * first (its manifest.sig written), so that it stays what was published.
     */
    public static Published publish(KafkaClientSettings kafka, Path bundleDir, PrivateKey signKey)
            throws IOException, InterruptedException, ExecutionException {
        if (signKey != null) {
            ManifestSignature.signBundle(bundleDir, signKey);
        }
        return publish(kafka, ServingBundle.read(bundleDir), null);
    }

    /** Publishes {@code bundle} and makes it the stable version of its model. */
    public static Published publishStable(KafkaClientSettings kafka, ServingBundle bundle, PrivateKey signKey)
            throws InterruptedException, ExecutionException {
        Published published = publish(kafka, bundle, signKey);
        new RolloutWriter(kafka).apply(bundle.manifest().name(), RolloutEdits.promote(bundle.manifest().version()));
        return published;
    }
}
