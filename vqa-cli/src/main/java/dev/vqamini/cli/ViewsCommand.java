package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.io.NpyBytes;
import dev.vqamini.video.VideoInputException;
import dev.vqamini.clips.ViewClips;
import dev.vqamini.views.ViewSampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.io.IOException;

/** {@code vqa views}: the exact views the model sees of a video, to check and reproduce them. */
@Command(name = "views", mixinStandardHelpOptions = true,
        description = {"Write the two views DOVER-Mobile scores for VIDEO, as uint8 RGB arrays:",
                "  technical.npy  3 x 3 x 32 x 224 x 224: one clip from each third of the video, 7x7 fragments of 32x32",
                "  aesthetic.npy  1 x 3 x 32 x 224 x 224: 32 frames spread over the video, resized to 224x224",
                "  views.json     technical_frames, aesthetic_frames (source frame indices), frames (F), width, height",
                "These are the bytes ingest-service publishes on vqa.fragments and `vqa score` feeds the model for the",
                "same --offsets and --seed."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:views written", "1:the video cannot be used"})
public final class ViewsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "VIDEO", description = "A video file (any format FFmpeg reads).")
    Path video;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the three files to (created).")
    Path out;

    @Mixin
    ViewOptions view;

    @Override
    public Integer call() throws Exception {
        ViewSampler.Result r;
        try {
            r = new ViewSampler(view.settings()).sampleWithInfo(video, view.seed());
        } catch (VideoInputException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Files.createDirectories(out);
        write(r.views().technical(), out.resolve("technical.npy"));
        write(r.views().aesthetic(), out.resolve("aesthetic.npy"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", video.toString());
        json.put("offsets", view.offsets().cliName());
        json.put("seed", view.seed());
        json.put("frames", r.framesUsed());
        json.put("width", r.info().width());
        json.put("height", r.info().height());
        json.put("technical_frames", r.views().technical().frameIndices());
        json.put("aesthetic_frames", r.views().aesthetic().frameIndices());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("views.json").toFile(), json);
        System.out.printf("%s: %s -> %s (technical.npy, aesthetic.npy, views.json)%n", video, r.info().describe(), out);
        return 0;
    }

    private static void write(ViewClips clips, Path file) throws IOException {
        new NpyBytes(new long[] {clips.clips(), 3, clips.frames(), clips.height(), clips.width()}, clips.pixels()).write(file);
    }
}
