package dev.vqamini.cli;

import dev.vqamini.testkit.CapturedRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.broker.BrokerSecurity;
import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.kafka.KafkaSecurity;
import dev.vqamini.kafka.TopicBootstrap;
import java.time.Duration;
import dev.vqamini.model.ModelDefinition;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.bundle.ModelBundle;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.FusionConstants;
import dev.vqamini.spec.ModelSpec;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;

/**
 * What an operator sees for the mistakes a new user makes: a wrong file given as weights, a missing label file or
 * folder, a broker that is not there or refuses the credentials. Each is one line that says what is wrong and what
 * to do, without the Kafka clients' log, and an unreachable broker is reported in seconds.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OperatorErrorsTest {

    private static final String NOT_WEIGHTS = "not a PyTorch checkpoint (.pth zip or legacy pickle) nor safetensors: ";

    private static CapturedRun importWeights(Path file, Path dir) {
        return VideoCommandsTest.run("import-weights", file.toString(), "--out", dir.resolve("bundle").toString());
    }

    private static void assertOneLineError(CapturedRun r, String... parts) {
        assertEquals(1, r.exit(), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "expected '" + p + "' in: " + r.err());
        }
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("out of bounds"), r.err());
    }

    @Test
    void importWeightsSaysWhatAFileThatIsNotWeightsIs(@TempDir Path dir) throws Exception {
        // A note starting with 'a': the pickle machine's APPEND on an empty stack, once "Index -1 out of bounds".
        Path text = Files.writeString(dir.resolve("notes.txt"), "a few notes about the model\nsecond line\n");
        assertOneLineError(importWeights(text, dir), "notes.txt: " + NOT_WEIGHTS + "text", "'a few notes about the model'");
        Path digits = Files.writeString(dir.resolve("weights.pth"), "0.5 0.25 0.125\n");
        assertOneLineError(importWeights(digits, dir), "weights.pth: " + NOT_WEIGHTS + "text", "'0.5 0.25 0.125'");

        Path empty = Files.createFile(dir.resolve("empty.pth"));
        assertOneLineError(importWeights(empty, dir), "empty.pth: " + NOT_WEIGHTS + "the file is empty");

        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = (byte) 0xA5; // not zip, pickle or any known magic
        Path random = Files.write(dir.resolve("random.pth"), noise);
        assertOneLineError(importWeights(random, dir), "random.pth: " + NOT_WEIGHTS + "binary data of 4096 bytes starting a5");

        SynthVideos.write(dir.resolve("videos"), 1, 1, 64, 64);
        Path mp4 = Files.list(dir.resolve("videos")).filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow();
        Path renamed = Files.copy(mp4, dir.resolve("dover_mobile.pth"));
        assertOneLineError(importWeights(renamed, dir), "dover_mobile.pth: " + NOT_WEIGHTS + "an MP4/QuickTime video");

        assertOneLineError(importWeights(dir.resolve("videos"), dir), "not a model bundle (no manifest.json",
                "a directory holding labels.txt");
        assertOneLineError(importWeights(Files.createDirectory(dir.resolve("nothing")), dir), "an empty directory");
        assertOneLineError(importWeights(dir.resolve("missing.pth"), dir), "missing.pth: no such weights file or bundle"
                + " directory (give a .pth, a .safetensors or a model bundle directory or .zip)");
    }

    @Test
    void missingLabelsFoldersAndVideosAreNamedWithTheOptionToGive(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("dataset"));
        Path labels = Files.writeString(dir.resolve("labels.txt"), "a.mp4, 1, 2, 3.5\n");
        assertOneLineError(VideoCommandsTest.run("eval", "--dataset", folder.toString(), "--labels", dir.resolve("nolabels.txt").toString()),
                "vqa eval: error: labels file " + dir.resolve("nolabels.txt") + " does not exist (give --labels FILE,"
                        + " KoNViD-1k format: 'name, a, b, mos' per line");
        assertOneLineError(VideoCommandsTest.run("eval", "--dataset", dir.resolve("nodir").toString(), "--labels", labels.toString()),
                "dataset folder " + dir.resolve("nodir") + " does not exist (give --dataset DIR");
        assertOneLineError(VideoCommandsTest.run("eval", "--dataset", folder.toString(), "--labels", labels.toString()),
                "none of the 1 videos in " + labels + " is in " + folder);
        assertOneLineError(VideoCommandsTest.run("eval", "--dataset", folder.toString(), "--labels", folder.toString()),
                "labels file " + folder + " is a directory");
        assertOneLineError(VideoCommandsTest.run("score", dir.resolve("clip.mp4").toString()),
                "vqa score: error: video " + dir.resolve("clip.mp4") + " does not exist");
        assertOneLineError(VideoCommandsTest.run("prune", "--recipe", "channel", "--target-params", "0.5", "--calibration",
                dir.resolve("calib").toString(), "--out", dir.resolve("out").toString()),
                "calibration folder " + dir.resolve("calib") + " does not exist (give --calibration DIR");
    }

    @Test
    void anUnreachableBrokerIsReportedInSecondsWithWhatToSet(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String kafka = "127.0.0.1:" + port;
        Path bundle = bundle(dir);
        for (List<String> command : List.of(List.of("rollout", "show"), List.of("rollout", "canary", "v2", "0.1"),
                List.of("rollout", "promote", "v2"), List.of("publish", bundle.toString()))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--kafka", kafka));
            long t0 = System.nanoTime();
            CapturedRun r = VideoCommandsTest.run(args.toArray(String[]::new));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertOneLineError(r, "cannot reach Kafka at " + kafka + " (PLAINTEXT) within 5 s: is the broker running?"
                    + " set --kafka HOST:PORT or VQA_KAFKA (TLS/SASL: VQA_KAFKA_SECURITY_PROTOCOL, VQA_KAFKA_USERNAME");
            assertFalse(r.err().contains("WARN"), "no Kafka client log: " + r.err());
            assertFalse(r.err().contains("Timeout expired while fetching topic metadata"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(seconds < 15, command + " took " + seconds + " s");
        }
    }

    @Test
    void refusedCredentialsAreNamedAsSuch() {
        try (LocalKafkaBroker broker = LocalKafkaBroker.startSecured(BrokerSecurity.admin("vqa-admin", "the-password"))) {
            Map<String, String> env = new HashMap<>();
            broker.clientSecurity().forEach((k, v) -> env.put(KafkaSecurity.ENV_PREFIX + k.toUpperCase().replace('.', '_'), v));
            env.put(KafkaSecurity.ENV_PREFIX + "USERNAME", "vqa-admin");
            env.put(KafkaSecurity.ENV_PREFIX + "PASSWORD", "not-the-password");
            Map<String, String> before = KafkaOption.environment;
            KafkaOption.environment = env;
            try {
                long t0 = System.nanoTime();
                CapturedRun r = VideoCommandsTest.run("rollout", "show", "--kafka", broker.bootstrapServers());
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertOneLineError(r, "Kafka at " + broker.bootstrapServers() + " refused the credentials of user vqa-admin"
                        + " (SASL SCRAM-SHA-512): check VQA_KAFKA_USERNAME/VQA_KAFKA_PASSWORD");
                assertFalse(r.err().contains("not-the-password"), r.err());
                assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
                assertTrue(seconds < 15, "took " + seconds + " s");

                env.put(KafkaSecurity.ENV_PREFIX + "PASSWORD", "the-password");
                TopicBootstrap.ensureCatalog(KafkaClientSettings.fromEnvironment(broker.bootstrapServers(), "test", env),
                        Duration.ofSeconds(30), (short) 1);
                CapturedRun ok = VideoCommandsTest.run("rollout", "show", "--kafka", broker.bootstrapServers());
                assertTrue(ok.err().contains("has no rollout yet"), "right credentials get through the probe: " + ok.err());
            } finally {
                KafkaOption.environment = before;
            }
        }
    }

    private static Path bundle(Path dir) throws Exception {
        BranchSpec b = BranchSpec.of(new int[] {8, 16, 24, 32}, new int[] {2, 2, 6, 2}, 8);
        ModelSpec spec = new ModelSpec(b, b);
        ModelDefinition def = new ModelDefinition("dover-mobile", "tiny", spec, RandomWeights.generate(spec, 1),
                FusionConstants.PUBLISHED, Map.of());
        return ModelBundle.write(def, dir.resolve("tiny")) == null ? null : dir.resolve("tiny");
    }
}
