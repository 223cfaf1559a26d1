package dev.vqamini.views;

import dev.vqamini.video.RgbFrame;

/**
 * The technical view's spatial step, upstream's {@code get_spatial_fragments}: a {@code gridH x gridW} grid of
 * {@code patch x patch} fragments stitched into one {@code gridH*patch x gridW*patch} picture (7 x 7 x 32 = 224).
 * <ul>
 *   <li>If {@code ratio = min(H/224, W/224) < 1} the frame is first upscaled bilinearly by {@code 1/ratio}
 *       (torch {@code interpolate(v/255, scale_factor=1/ratio)}, then {@code *255} truncated to uint8).</li>
 *   <li>Cell i starts at {@code min(i * (H // 7), H - 32)}; inside it the patch starts at an offset in
 *       {@code [0, H//7 - 32)} when positive, else 0 (same for W).</li>
 *   <li>Positions are drawn once per 32-frame clip ({@code aligned = 32}: all frames of a clip share them).</li>
 * </ul>
 * Faithful to upstream, H and W in the grid formulas are the sizes <em>before</em> upscaling, so on upscaled small
 * videos the patches come from the top-left H x W region of the upscaled frame. Pixels of an upscaled frame are
 * computed only where patches need them.
 */
public final class FragmentSampler {

    private final int grid;
    private final int patch;

    public FragmentSampler(int grid, int patch) {
        if (grid < 1 || patch < 1) {
            throw new IllegalArgumentException("FragmentSampler grid " + grid + ", patch " + patch);
        }
        this.grid = grid;
        this.patch = patch;
    }

    /** DOVER's technical setting: 7 x 7 fragments of 32 x 32. */
    public static FragmentSampler dover() {
        return new FragmentSampler(7, 32);
    }

    /** Output side, grid * patch (224). */
    public int outSize() {
        return grid * patch;
    }

    /**
     * Where the patches of each clip come from in a frame of {@code height x width}.
     *
     * @param offsets in-cell offsets; drawn per clip, row-major over cells, height then width
     */
    public Layout layout(int height, int width, int clips, OffsetMode.OffsetSource offsets) {
        int size = outSize();
        double ratio = Math.min((double) height / size, (double) width / size);
        BilinearAxis ya = null;
        BilinearAxis xa = null;
        if (ratio < 1) {
            ya = BilinearAxis.forFactor(height, 1 / ratio);
            xa = BilinearAxis.forFactor(width, 1 / ratio);
        }
        int cellH = height / grid;
        int cellW = width / grid;
        int[][] ys = new int[clips][grid * grid];
        int[][] xs = new int[clips][grid * grid];
        for (int c = 0; c < clips; c++) {
            for (int i = 0; i < grid; i++) {
                for (int j = 0; j < grid; j++) {
                    int rh = cellH > patch ? offsets.offset(cellH - patch) : 0;
                    int rw = cellW > patch ? offsets.offset(cellW - patch) : 0;
                    // max(0, ..) only matters for frames under 32 px, which upstream would index negatively
                    ys[c][i * grid + j] = Math.max(0, Math.min(cellH * i, height - patch)) + rh;
                    xs[c][i * grid + j] = Math.max(0, Math.min(cellW * j, width - patch)) + rw;
                }
            }
        }
        return new Layout(height, width, ya, xa, ys, xs);
    }

    /**
     * Cuts clip {@code clip}'s fragments out of {@code frame} into {@code out}: channel c's 224 x 224 plane starts at
     * {@code planeOffset + c * channelStride}.
     */
    public void cut(RgbFrame frame, Layout layout, int clip, byte[] out, int planeOffset, int channelStride) {
        if (frame.height() != layout.height || frame.width() != layout.width) {
            throw new IllegalArgumentException("layout is for " + layout.width + "x" + layout.height + ", frame is "
                    + frame.width() + "x" + frame.height());
        }
        int size = outSize();
        byte[] rgb = frame.data();
        int w = frame.width();
        for (int cell = 0; cell < grid * grid; cell++) {
            int oy = (cell / grid) * patch;
            int ox = (cell % grid) * patch;
            int sy = layout.ys[clip][cell];
            int sx = layout.xs[clip][cell];
            for (int c = 0; c < 3; c++) {
                int base = planeOffset + c * channelStride;
                for (int dy = 0; dy < patch; dy++) {
                    int row = base + (oy + dy) * size + ox;
                    int y = sy + dy;
                    if (layout.ya == null) {
                        int src = (y * w + sx) * 3 + c;
                        for (int dx = 0; dx < patch; dx++) {
                            out[row + dx] = rgb[src + dx * 3];
                        }
                    } else {
                        for (int dx = 0; dx < patch; dx++) {
                            float v = BilinearAxis.sample(rgb, w, layout.ya, y, layout.xa, sx + dx, c, 255f);
                            out[row + dx] = (byte) (int) (v * 255f); // torch's float -> uint8 cast truncates
                        }
                    }
                }
            }
        }
    }

    /**
     * Patch sources for one frame size: {@code ys[clip][cell]}, {@code xs[clip][cell]} are top-left corners in the
     * (possibly upscaled) frame, cells row-major.
     */
    public static final class Layout {
        final int height;
        final int width;
        final BilinearAxis ya;
        final BilinearAxis xa;
        final int[][] ys;
        final int[][] xs;

        Layout(int height, int width, BilinearAxis ya, BilinearAxis xa, int[][] ys, int[][] xs) {
            this.height = height;
            this.width = width;
            this.ya = ya;
            this.xa = xa;
            this.ys = ys;
            this.xs = xs;
        }

        /** Whether frames of this size are upscaled before cutting. */
        public boolean upscaled() {
            return ya != null;
        }

        /** Size of the (possibly upscaled) frame the patches are cut from: {height, width}. */
        public int[] sampledSize() {
            return ya == null ? new int[] {height, width} : new int[] {ya.size(), xa.size()};
        }

        /** Top-left row of a patch. */
        public int y(int clip, int cell) {
            return ys[clip][cell];
        }

        /** Top-left column of a patch. */
        public int x(int clip, int cell) {
            return xs[clip][cell];
        }
    }
}
