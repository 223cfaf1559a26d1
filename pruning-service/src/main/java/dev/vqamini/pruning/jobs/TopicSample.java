package dev.vqamini.pruning.jobs;

import dev.vqamini.dataset.CalibrationVideo;
import dev.vqamini.prune.FragmentCalibration;
import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.kafka.TopicReader;
import dev.vqamini.kafka.serde.WireSerdes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A calibration sample read off the topics without joining a consumer group (it commits nothing and does not
 * disturb the scorers): vqa.labels in full, then vqa.fragments from the beginning until enough complete videos
 * are gathered or the end offsets seen at the start are reached.
 */
final class TopicSample {

    private final TopicReader reader;

    TopicSample(TopicReader reader) {
        this.reader = reader;
    }

    List<CalibrationVideo> read(int videos, Consumer<String> progress) {
        Map<String, Double> labels = new HashMap<>();
        reader.readToEnd(TopicCatalog.LABELS.name(), WireSerdes.labels().deserializer(),
                (key, l) -> labels.put(l.getVideoId(), l.getMos()), () -> false, problem -> progress.accept("skipped unreadable record " + problem));
        progress.accept("read " + labels.size() + " labels from " + TopicCatalog.LABELS.name());
        FragmentCalibration calibration = new FragmentCalibration();
        reader.readToEnd(TopicCatalog.FRAGMENTS.name(), WireSerdes.fragments().deserializer(), (key, clip) -> calibration.add(clip),
                () -> calibration.completeVideos() >= videos, problem -> progress.accept("skipped unreadable record " + problem));
        List<CalibrationVideo> sample = calibration.videos(labels, videos);
        progress.accept("sampled " + sample.size() + " complete videos from " + TopicCatalog.FRAGMENTS.name());
        return sample;
    }
}
