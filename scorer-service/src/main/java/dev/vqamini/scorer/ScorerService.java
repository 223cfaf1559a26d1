package dev.vqamini.scorer;

import dev.vqamini.model.runtime.Device;
import dev.vqamini.wire.DeadLetters;
import dev.vqamini.bundle.ManifestSignature;
import dev.vqamini.serving.RefusalCheck;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.service.TopicsAtStartup;
import dev.vqamini.serving.ClipShape;
import dev.vqamini.serving.DynamicBatcher;
import dev.vqamini.serving.ModelRefusedException;
import dev.vqamini.serving.ModelRegistry;
import dev.vqamini.serving.ScoringLoop;
import dev.vqamini.serving.ServingModel;
import dev.vqamini.release.ReleaseFollower;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.proto.DeadLetter;
import dev.vqamini.wire.proto.ModelChunk;
import dev.vqamini.wire.proto.Rollout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Wires the scorer: the model registry fed by followers of vqa.models and vqa.rollouts, the dynamic batcher, and the
 * scoring loop on its own thread, with their metrics. The logic lives in vqa-serving.
 */
@ApplicationScoped
public class ScorerService {

    private static final Logger LOG = Logger.getLogger(ScorerService.class);
    /** Protobuf framing and the fragment's fields beside its pixels. */
    private static final int RECORD_OVERHEAD = 64 * 1024;

    private final ScorerSettings settings;
    private final KafkaClientSettings kafka;
    private final MeterRegistry meters;
    private final ScorerMetrics metrics;
    private final TopicsAtStartup topics;
    private final Optional<Path> verifyKeyFile;
    private PublicKey verifyKey;
    private volatile ModelRegistry registry;
    private DynamicBatcher batcher;
    private KafkaProducer<String, byte[]> producer;
    private ReleaseFollower releases;
    private ScoringLoop loop;
    private Thread loopThread;
    private KafkaClientMetrics consumerMetrics;
    private String provider = "not started";

    ScorerService(ScorerSettings settings, KafkaClientSettings kafka, MeterRegistry meters, ScorerMetrics metrics,
                  TopicsAtStartup topics, ModelsSettings models) {
        this.metrics = metrics;
        this.verifyKeyFile = models.verifyKey();
        this.settings = settings;
        this.kafka = kafka;
        this.meters = meters;
        this.topics = topics;
    }

    void onStart(@Observes StartupEvent event) {
        checkLimits(clip()); // a misconfigured scorer refuses to start, naming the setting
        verifyKey = verifyKey(); // an unreadable key stops the start, naming the file
        Thread starter = new Thread(this::startWhenTopicsExist, "scorer-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** The Ed25519 public key versions must be signed with ({@code vqa.models.verify-key}), or null: any version. */
    private PublicKey verifyKey() {
        if (verifyKeyFile.isEmpty()) {
            LOG.info("vqa.models.verify-key not set: unsigned model versions are served");
            return null;
        }
        try {
            PublicKey key = ManifestSignature.readPublicKey(verifyKeyFile.get());
            LOG.infof("serving only model versions signed with the key in %s", verifyKeyFile.get());
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("vqa.models.verify-key = " + verifyKeyFile.get() + ": " + e.getMessage(), e);
        }
    }

    /** Kafka may come up after the service: wait for the catalog's topics, then start following and scoring. */
    private void startWhenTopicsExist() {
        if (topics.awaitTopics()) {
            start();
        }
    }

    private synchronized void start() {
        ClipShape clip = clip();
        RunnerOptions runner = runnerOptions();
        producer = new KafkaProducer<>(producerSettings(), new StringSerializer(), new ByteArraySerializer());
        batcher = new DynamicBatcher(new DynamicBatcher.Settings(settings.maxBatch(), settings.maxQueueDelay(), settings.concurrentRuns()), clip,
                metrics);
        metrics.watch(batcher);
        registry = new ModelRegistry((version, archive) -> onRequiredDevice(ServingModel.load(version, archive, verifyKey, runner, clip,
                settings.maxBatch())), new RegistryEvents());
        metrics.watch(registry);
        releases = ReleaseFollower.start(kafka, new ReleaseFollower.Listener() {
            @Override
            public void chunk(ModelChunk chunk) {
                registry.offer(chunk);
            }

            @Override
            public void rollout(Rollout r) {
                LOG.infof("rollout of %s: stable %s, %d candidates", r.getModelName(), r.getStableVersion(),
                        r.getCandidatesCount());
                registry.update(r);
            }
        }, LOG::warn);
        startLoop();
    }

    /** Starts a consumer and its scoring loop (again after {@link #crashLoop()}). */
    synchronized void startLoop() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerSettings(), new StringDeserializer(),
                new ByteArrayDeserializer());
        if (consumerMetrics != null) {
            consumerMetrics.close();
        }
        consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(meters); // kafka_consumer_fetch_manager_records_lag_max: the consumer lag
        String id = settings.instanceId().orElseGet(ScorerService::hostName);
        loop = new ScoringLoop(consumer, producer, registry, batcher,
                new ScoringLoop.Settings(id, settings.videoTimeout(), settings.maxQueuedClips(), settings.commitInterval(),
                        Duration.ofMillis(200)),
                new LoopEvents(), LOG::warn);
        loopThread = new Thread(loop, "scoring-loop");
        loopThread.start();
    }

    /** Stops the loop as a killed process would: nothing more is committed (tests of re-delivery). */
    synchronized void crashLoop() throws InterruptedException {
        loop.crash();
        loopThread.join(10_000);
    }

    /** With {@code vqa.scorer.provider=cuda} a version that came up on CPU is refused: a GPU scorer never idles on CPU. */
    private ServingModel onRequiredDevice(ServingModel model) throws ModelRefusedException {
        if (settings.provider() == ScorerSettings.Provider.CUDA && model.device() != Device.CUDA) {
            String on = model.provider();
            model.close();
            throw new ModelRefusedException(model.version(), RefusalCheck.DEVICE, "vqa.scorer.provider=cuda but the model runs on " + on, null);
        }
        return model;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public String provider() {
        return provider;
    }

    synchronized void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop != null) {
            loop.stop();
            loopThread.join(10_000);
        }
        if (releases != null) {
            releases.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (batcher != null) {
            batcher.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** How this scorer runs models: its provider, threads and spinning. */
    RunnerOptions runnerOptions() {
        RunnerOptions options = RunnerOptions.defaults().withThreads(settings.threads()).withSpinning(settings.spinning());
        return settings.provider() == ScorerSettings.Provider.CPU ? options.cpuOnly() : options;
    }

    /** The clip shape this scorer's models take. */
    ClipShape clip() {
        return new ClipShape(settings.clip().frames(), settings.clip().height(), settings.clip().width());
    }

    /** Refuses to start when a Kafka client limit cannot hold one fragment record, naming the setting. */
    private void checkLimits(ClipShape clip) {
        int record = clip.bytes() + RECORD_OVERHEAD;
        Map<String, Integer> limits = Map.of(
                "vqa.scorer.limits.max-partition-fetch-bytes (consumer max.partition.fetch.bytes)", settings.limits().maxPartitionFetchBytes(),
                "vqa.scorer.limits.fetch-max-bytes (consumer fetch.max.bytes)", settings.limits().fetchMaxBytes(),
                "vqa.scorer.limits.max-request-size (producer max.request.size)", settings.limits().maxRequestSize());
        limits.forEach((name, value) -> {
            if (value < record) {
                throw new IllegalStateException(name + " = " + value + " bytes is below one fragment record of " + record
                        + " bytes (3 x " + clip.frames() + " x " + clip.height() + " x " + clip.width() + " pixels): raise it");
            }
        });
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> s = kafka.groupConsumer("fragments", settings.groupId());
        s.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, settings.limits().maxPartitionFetchBytes());
        s.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, settings.limits().fetchMaxBytes());
        s.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(4, settings.maxQueuedClips()));
        return s;
    }

    private Map<String, Object> producerSettings() {
        Map<String, Object> s = kafka.producer("scores");
        s.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.limits().maxRequestSize());
        s.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        s.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        return s;
    }

    private final class RegistryEvents implements ModelRegistry.Listener {
        @Override
        public void loaded(ServingModel model) {
            provider = model.provider();
            LOG.infof("model %s in service on %s (loaded and checked in %.2f s)", model.version(), model.provider(),
                    model.loadSeconds());
            metrics.loaded(model);
        }

        @Override
        public void refused(ModelRefusedException e) {
            LOG.errorf("%s; the versions in service keep serving", e.getMessage());
            metrics.refused(e);
            DeadLetter dl = DeadLetters.of(DeadLetters.Stage.SCORER_MODEL, e.check(), e.version(), e.getMessage())
                    .setOriginalTopic(TopicCatalog.MODELS.name()).build();
            producer.send(new ProducerRecord<>(TopicCatalog.DLQ.name(), e.version(), dl.toByteArray()));
        }

        @Override
        public void retired(String version) {
            LOG.infof("model %s out of service, sessions closed", version);
        }
    }

    private final class LoopEvents implements ScoringLoop.Events {
        @Override
        public void videoScored(String version, double endToEndSeconds) {
            metrics.videoScored(version, endToEndSeconds);
        }

        @Override
        public void deadLettered(DeadLetters.Kind kind, String reason) {
            metrics.deadLettered(kind);
        }

        @Override
        public void fellBackToStable(String wanted, String stable) {
            metrics.fellBack(wanted);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "scorer-" + ProcessHandle.current().pid();
        }
    }
}
