package dev.vqamini.views;

import dev.vqamini.clips.ViewClips;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.io.NpyBytes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our views against upstream DOVER's sampling, re-implemented in tools/reference (dover_reference.py view-fixtures)
 * on frames the ffmpeg command line decodes, with centre offsets, on real H.264 files: BT.709-tagged HD, untagged,
 * full-range portrait, smaller than 224 px, shorter than 64 frames. Frame indices must be identical, pixels within
 * 0.5 levels mean absolute difference (decoder and swscale versions differ by a level here and there).
 */
class UpstreamViewsTest {

    private static final double MAX_MEAN_ABS_DIFF = 0.5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bt709_720p", "untagged_480p", "fullrange_portrait", "small_160x120", "short_40f"})
    void centreViewsAreUpstreamsViews(String name) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(fixture(name + ".json").toFile());
        ViewSampler.Result r = new ViewSampler(ViewSettings.defaults().withOffsetMode(OffsetMode.CENTRE))
                .sampleWithInfo(fixture(name + ".mp4"), 0);
        assertEquals(expected.get("frames").asInt(), r.framesUsed(), "frame count (video packets)");
        assertEquals(expected.get("width").asInt(), r.info().width());
        assertEquals(expected.get("height").asInt(), r.info().height());
        assertArrayEquals(ints(expected.get("technical_frames")), r.views().technical().frameIndices(), "technical frames");
        assertArrayEquals(ints(expected.get("aesthetic_frames")), r.views().aesthetic().frameIndices(), "aesthetic frames");
        int[] sampledT = ints(expected.get("sampled_t"))[0];
        double technical = meanAbsDiff(read(name + ".technical.npy.gz"), r.views().technical(), sampledT);
        double aesthetic = meanAbsDiff(read(name + ".aesthetic.npy.gz"), r.views().aesthetic(), sampledT);
        System.out.printf("%s: mean |ours - upstream| technical %.4f, aesthetic %.4f levels%n", name, technical, aesthetic);
        assertTrue(technical <= MAX_MEAN_ABS_DIFF, name + " technical pixels differ by " + technical + " levels on average");
        assertTrue(aesthetic <= MAX_MEAN_ABS_DIFF, name + " aesthetic pixels differ by " + aesthetic + " levels on average");
    }

    /** Expected is clips x 3 x K x H x W, holding only the clip positions {@code sampledT}. */
    private static double meanAbsDiff(NpyBytes expected, ViewClips ours, int[] sampledT) {
        long[] s = expected.shape();
        assertEquals(ours.clips(), s[0]);
        assertEquals(sampledT.length, s[2]);
        assertEquals(ours.height(), s[3]);
        assertEquals(ours.width(), s[4]);
        int plane = ours.height() * ours.width();
        long sum = 0;
        long n = 0;
        for (int clip = 0; clip < ours.clips(); clip++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < sampledT.length; k++) {
                    int e0 = ((clip * 3 + c) * sampledT.length + k) * plane;
                    int o0 = ((clip * 3 + c) * ours.frames() + sampledT[k]) * plane;
                    for (int i = 0; i < plane; i++) {
                        sum += Math.abs((expected.data()[e0 + i] & 0xff) - (ours.pixels()[o0 + i] & 0xff));
                    }
                    n += plane;
                }
            }
        }
        return (double) sum / n;
    }

    private static int[][] ints(JsonNode rows) {
        if (!rows.get(0).isArray()) {
            int[] one = new int[rows.size()];
            for (int i = 0; i < one.length; i++) {
                one[i] = rows.get(i).asInt();
            }
            return new int[][] {one};
        }
        int[][] out = new int[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = ints(rows.get(r))[0];
        }
        return out;
    }

    private static NpyBytes read(String file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture(file)))) {
            return NpyBytes.read(in, file);
        }
    }

    private static Path fixture(String file) {
        try {
            return Path.of(UpstreamViewsTest.class.getResource("/fixtures/views/" + file).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture views/" + file, e);
        }
    }
}
