package dev.vqamini.cli;

import dev.vqamini.broker.LocalKafkaBroker;
import dev.vqamini.model.QualityModel;
import dev.vqamini.serving.VideoScorer;
import dev.vqamini.stats.Agreement;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import dev.vqamini.views.ViewSampler;
import dev.vqamini.wire.ClipAssembler;
import dev.vqamini.wire.FragmentRecords;
import dev.vqamini.wire.LargeRecordSettings;
import dev.vqamini.wire.TopicBootstrap;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicReader;
import dev.vqamini.wire.WireSerdes;
import dev.vqamini.wire.proto.FragmentClip;
import dev.vqamini.wire.proto.SourceMetadata;
import dev.vqamini.wire.proto.VideoScoreRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vqa demo}: today's pipeline in one process, on a real embedded Kafka broker: generate distorted videos,
 * cut their views into vqa.fragments, score them from the topic, publish vqa.video-scores and compare with the
 * pseudo-MOS. The separate ingest, scorer and metrics services take over these steps in the streaming issues.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the pipeline end to end on an embedded Kafka broker with generated videos:",
                "synthesise distorted videos -> sample DOVER views -> vqa.fragments -> score -> vqa.video-scores,",
                "then print each video's scores and the agreement (SRCC/PLCC) with the pseudo-MOS."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--videos", defaultValue = "8", description = "How many synthetic videos (default ${DEFAULT-VALUE}).")
    int videos;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the videos and the view sampling.")
    long seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "Keep the generated videos here (default: a temporary folder).")
    Path dir;

    @Mixin WeightsOption weights;
    @Mixin RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        Path folder = dir != null ? dir : Files.createTempDirectory("vqa-demo");
        say("1/5 starting an embedded Apache Kafka broker (KRaft)");
        try (LocalKafkaBroker broker = LocalKafkaBroker.startEphemeral()) {
            String servers = broker.bootstrapServers();
            say("    " + TopicBootstrap.ensureCatalog(servers, Duration.ofSeconds(30), (short) 1));
            say("2/5 generating " + videos + " distorted videos into " + folder);
            List<SynthVideo> synth = new SynthGenerator(SynthGenerator.Settings.defaults()).generate(folder, videos, seed,
                    v -> say(String.format("    %s  %-12s level %d  pseudo-MOS %.2f", v.file().getFileName(), v.distortion(),
                            v.level(), v.mos())));
            say("3/5 sampling DOVER views and publishing them to " + TopicCatalog.FRAGMENTS.name());
            ingest(servers, synth);
            say("4/5 scoring from " + TopicCatalog.FRAGMENTS.name() + " and publishing " + TopicCatalog.VIDEO_SCORES.name());
            List<VideoScoreRecord> scores = score(servers);
            say("5/5 results (" + scores.get(0).getModelVersion() + ")");
            System.out.printf("%-40s %10s %10s %8s %8s%n", "video", "technical", "aesthetic", "fused", "MOS");
            for (VideoScoreRecord s : scores) {
                System.out.printf("%-40s %10.4f %10.4f %8.4f %8.2f%n", s.getVideoId(), s.getTechnical(), s.getAesthetic(),
                        s.getFused(), s.getMos());
            }
            Agreement a = Agreement.of(scores.stream().mapToDouble(VideoScoreRecord::getFused).toArray(),
                    scores.stream().mapToDouble(VideoScoreRecord::getMos).toArray());
            System.out.printf("SRCC %.3f  PLCC %.3f over %d videos%n", a.srcc(), a.plcc(), scores.size());
            if (weights.path() == null) {
                System.out.println("(bootstrap model: seeded random backbone with heads fitted on other synthetic videos;"
                        + " not the published DOVER-Mobile: pass --weights DOVER-Mobile.pth for real scores)");
            }
        }
        return 0;
    }

    private void ingest(String servers, List<SynthVideo> synth) throws Exception {
        ViewSampler sampler = new ViewSampler();
        Map<String, Object> settings = new HashMap<>(LargeRecordSettings.producer());
        settings.put("bootstrap.servers", servers);
        try (KafkaProducer<String, FragmentClip> producer = new KafkaProducer<>(settings, new StringSerializer(),
                WireSerdes.fragments().serializer())) {
            for (SynthVideo v : synth) {
                String id = v.file().getFileName().toString();
                ViewSampler.Result r = sampler.sampleWithInfo(v.file(), seed);
                SourceMetadata source = SourceMetadata.newBuilder().setWidth(r.info().width()).setHeight(r.info().height())
                        .setFps(r.info().fps()).setFrameCount(r.framesUsed()).build();
                for (FragmentClip clip : FragmentRecords.of(id, id, r.views(), source, OptionalDouble.of(v.mos()), "synthetic",
                        System.currentTimeMillis())) {
                    producer.send(new ProducerRecord<>(TopicCatalog.FRAGMENTS.name(), id, clip));
                }
            }
            producer.flush();
        }
    }

    private List<VideoScoreRecord> score(String servers) throws Exception {
        ClipAssembler assembler = new ClipAssembler();
        List<ClipAssembler.Video> complete = new ArrayList<>();
        new TopicReader(servers, "vqa-demo").readToEnd(TopicCatalog.FRAGMENTS.name(), WireSerdes.fragments().deserializer(),
                (key, clip) -> assembler.add(clip, System.currentTimeMillis()).ifPresent(complete::add));
        List<VideoScoreRecord> out = new ArrayList<>();
        try (QualityModel model = new QualityModel(weights.definition(runtime.options()), runtime.options());
             KafkaProducer<String, VideoScoreRecord> producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                     new StringSerializer(), WireSerdes.videoScores().serializer())) {
            VideoScorer scorer = new VideoScorer(model);
            for (ClipAssembler.Video v : complete) {
                VideoScorer.Scored s = scorer.score(v.views());
                VideoScoreRecord record = VideoScoreRecord.newBuilder().setVideoId(v.videoId())
                        .setModelVersion(s.score().modelVersion()).setTechnical(s.score().technical())
                        .setAesthetic(s.score().aesthetic()).setFused(s.score().fused())
                        .setEndToEndMs(System.currentTimeMillis() - v.metadata().getIngestTimeMs())
                        .setMos(v.metadata().hasMos() ? v.metadata().getMos() : Double.NaN).setDataset("synthetic").build();
                producer.send(new ProducerRecord<>(TopicCatalog.VIDEO_SCORES.name(), v.videoId(), record));
                out.add(record);
            }
            producer.flush();
        }
        return out;
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
