package dev.vqamini.cli;

import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.release.ModelManifest;
import dev.vqamini.release.ModelPublisher;
import dev.vqamini.wire.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Override
    public Integer call() throws Exception {
        ModelManifest manifest = ModelBundle.read(bundle).manifest(); // checks every file's sha256 and the weights
        byte[] archive = Files.isRegularFile(bundle) ? Files.readAllBytes(bundle) : ModelBundle.zip(bundle);
        int chunks = ModelPublisher.publish(kafka.servers(), "vqa-cli-publish", manifest.name(), manifest.version(), archive);
        System.out.printf("published %s (%s) on %s: %d chunks, %.1f MB%n", manifest.version(), manifest.name(),
                TopicCatalog.MODELS.name(), chunks, archive.length / 1e6);
        return 0;
    }
}
