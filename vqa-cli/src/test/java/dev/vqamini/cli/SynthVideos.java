package dev.vqamini.cli;

import dev.vqamini.dataset.MosLabels;
import dev.vqamini.video.synth.SynthGenerator;
import dev.vqamini.video.synth.SynthVideo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Small labelled synthetic datasets for these tests: what {@code vqa synth --out DIR --count N --seconds S --width W
 * --height H} writes (videos and DIR/labels.txt; seed 1, 24 fps), without that command, which is in vqa-harness.
 */
final class SynthVideos {

    private SynthVideos() {
    }

    static List<SynthVideo> write(Path dir, int count, double seconds, int width, int height) throws IOException {
        List<SynthVideo> videos = new SynthGenerator(new SynthGenerator.Settings(width, height, 24, seconds)).generate(dir, count, 1, v -> {
        });
        MosLabels.write(dir.resolve("labels.txt"), videos.stream().map(v -> new MosLabels.Entry(v.file().getFileName().toString(),
                Integer.toString(v.level()), v.content().name().toLowerCase(), v.mos())).toList());
        return videos;
    }
}
