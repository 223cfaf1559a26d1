package dev.vqamini.cli;

import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.release.ModelRelease;
import dev.vqamini.bundle.ManifestSignature;
import dev.vqamini.wire.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vqa publish}: puts a model bundle on vqa.models, where every scorer can load it. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish a model bundle (directory or .zip, as import-weights and prune write them) on vqa.models",
                "as checksummed 4 MiB chunks. It serves no traffic until a rollout names it (vqa rollout)."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:published", "1:the bundle or Kafka refused"})
public final class PublishCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "A model bundle directory or .zip.")
    Path bundle;

    @Mixin
    KafkaOption kafka;

    @Option(names = "--sign-key", paramLabel = "PEM",
            description = "Sign the manifest (which holds every file's sha256) with this Ed25519 private key (vqa signing-key"
                    + " makes one); scorers with vqa.models.verify-key serve only versions signed with the matching key.")
    Path signKey;

    @Override
    public Integer call() throws Exception {
        Path dir = bundle;
        if (!Files.isDirectory(bundle)) {
            dir = Files.createTempDirectory("vqa-publish");
            ModelBundle.unzip(Files.readAllBytes(bundle), dir);
        }
        ModelBundle.read(dir); // checks every file's sha256 and that the weights match the architecture
        ModelRelease.Published p = ModelRelease.publish(kafka.settings(), dir,
                signKey == null ? null : ManifestSignature.readPrivateKey(signKey));
        System.out.printf("published %s (%s) on %s: %d chunks, %.1f MB (manifest and graphs; the weights stay in the bundle)%n",
                p.manifest().version(), p.manifest().name(), TopicCatalog.MODELS.name(), p.chunks(), p.bytes() / 1e6);
        return 0;
    }
}
