package dev.vqamini.video.synth;

import java.util.SplittableRandom;

/**
 * Pristine synthetic scenes with motion and texture, rendered as RGB24. Each kind takes its parameters (colours,
 * speeds, sizes) from a seed, so one seed is one reproducible scene.
 */
public enum SynthContent {
    /** Colour gradients with drifting sine stripes. */
    MOVING_GRADIENT,
    /** A checkerboard panning diagonally with a slow zoom. */
    CHECKER_PAN,
    /** Coloured discs and boxes moving over a striped background. */
    SHAPES,
    /** Smooth multi-octave value noise (a natural-looking texture) panning across the frame. */
    NOISE_PAN;

    /** A renderer of this kind for one scene. */
    public Scene scene(long seed, int width, int height) {
        return new Scene(this, seed, width, height);
    }

    /** One seeded scene; {@link #render(int, byte[])} draws frame {@code f}. */
    public static final class Scene {
        private final SynthContent kind;
        private final int w;
        private final int h;
        private final double[] p = new double[16];
        private final int[][] colours = new int[6][3];
        private final float[] noise;
        private final int noiseSize = 256;

        Scene(SynthContent kind, long seed, int w, int h) {
            this.kind = kind;
            this.w = w;
            this.h = h;
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextDouble();
            }
            for (int[] c : colours) {
                for (int k = 0; k < 3; k++) {
                    c[k] = 30 + r.nextInt(200);
                }
            }
            noise = kind == NOISE_PAN ? valueNoise(r, noiseSize) : null;
        }

        /** Draws frame {@code f} into {@code rgb} (w*h*3 bytes). */
        public void render(int f, byte[] rgb) {
            double t = f / 24.0;
            switch (kind) {
                case MOVING_GRADIENT -> gradient(t, rgb);
                case CHECKER_PAN -> checker(t, rgb);
                case SHAPES -> shapes(t, rgb);
                case NOISE_PAN -> noisePan(t, rgb);
                default -> throw new IllegalStateException();
            }
        }

        private void gradient(double t, byte[] rgb) {
            double fx = 0.01 + 0.04 * p[0];
            double fy = 0.01 + 0.04 * p[1];
            double speed = 1 + 3 * p[2];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = (double) x / w;
                    double v = (double) y / h;
                    double s = Math.sin(fx * x * 6 + fy * y * 6 + speed * t * 3);
                    set(rgb, x, y, 128 + 90 * (u - 0.5) + 40 * s, 128 + 90 * (v - 0.5) + 30 * Math.cos(fx * x * 9 - t * speed),
                            60 + 120 * ((u + v + 0.1 * t) % 1.0));
                }
            }
        }

        private void checker(double t, byte[] rgb) {
            double cell = 8 + 16 * p[0];
            double zoom = 1 + 0.15 * Math.sin(t * (0.5 + p[1]));
            double dx = t * (20 + 40 * p[2]);
            double dy = t * (10 + 30 * p[3]);
            // one light and one dark colour: random hues alone can have equal luma and show no edges
            int[] a = {150 + colours[0][0] * 2 / 5, 150 + colours[0][1] * 2 / 5, 150 + colours[0][2] * 2 / 5};
            int[] b = {colours[1][0] * 2 / 5, colours[1][1] * 2 / 5, colours[1][2] * 2 / 5};
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = ((x - w / 2.0) * zoom + dx) / cell;
                    double v = ((y - h / 2.0) * zoom + dy) / cell;
                    boolean on = ((int) Math.floor(u) + (int) Math.floor(v) & 1) == 0;
                    double shade = 0.8 + 0.2 * Math.sin(u * 0.7 + v * 0.5);
                    int[] c = on ? a : b;
                    set(rgb, x, y, c[0] * shade, c[1] * shade, c[2] * shade);
                }
            }
        }

        private void shapes(double t, byte[] rgb) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double stripe = 0.5 + 0.5 * Math.sin((x + y * 0.5) * 0.15 * (1 + p[0]));
                    set(rgb, x, y, 40 + 60 * stripe, 50 + 40 * stripe, 70 + 50 * p[1] * stripe);
                }
            }
            for (int k = 0; k < 5; k++) {
                double cx = w * (0.5 + 0.4 * Math.sin(t * (0.6 + p[k + 2]) * 2 + k));
                double cy = h * (0.5 + 0.4 * Math.cos(t * (0.5 + p[k + 7]) * 2 + 2 * k));
                double rad = Math.min(w, h) * (0.06 + 0.1 * p[(k + 11) % 16]);
                int[] c = colours[k + 1];
                boolean disc = k % 2 == 0;
                int x0 = (int) Math.max(0, cx - rad);
                int x1 = (int) Math.min(w - 1, cx + rad);
                int y0 = (int) Math.max(0, cy - rad);
                int y1 = (int) Math.min(h - 1, cy + rad);
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        double ddx = x - cx;
                        double ddy = y - cy;
                        if (!disc || ddx * ddx + ddy * ddy <= rad * rad) {
                            double edge = 0.85 + 0.15 * Math.sin((x + y) * 0.5);
                            set(rgb, x, y, c[0] * edge, c[1] * edge, c[2] * edge);
                        }
                    }
                }
            }
        }

        private void noisePan(double t, byte[] rgb) {
            double ox = t * (15 + 30 * p[0]);
            double oy = t * (5 + 20 * p[1]);
            int[] tint = colours[2];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double n = sampleNoise(x + ox, y + oy);
                    double n2 = sampleNoise(x * 0.5 - ox * 0.3 + 97, y * 0.5 + 31);
                    set(rgb, x, y, tint[0] * (0.4 + n), tint[1] * (0.3 + 0.8 * n2), tint[2] * (0.2 + n * n2 * 1.5));
                }
            }
        }

        private double sampleNoise(double x, double y) {
            int n = noiseSize;
            double fx = Math.floor(x);
            double fy = Math.floor(y);
            int x0 = Math.floorMod((int) fx, n);
            int y0 = Math.floorMod((int) fy, n);
            int x1 = (x0 + 1) % n;
            int y1 = (y0 + 1) % n;
            double ax = x - fx;
            double ay = y - fy;
            double top = noise[y0 * n + x0] * (1 - ax) + noise[y0 * n + x1] * ax;
            double bottom = noise[y1 * n + x0] * (1 - ax) + noise[y1 * n + x1] * ax;
            return top * (1 - ay) + bottom * ay;
        }

        /** Tileable multi-octave value noise in [0,1]. */
        private static float[] valueNoise(SplittableRandom r, int n) {
            float[] out = new float[n * n];
            double amp = 1;
            double total = 0;
            for (int cell = 64; cell >= 2; cell /= 2) {
                int g = n / cell;
                double[] grid = new double[g * g];
                for (int i = 0; i < grid.length; i++) {
                    grid[i] = r.nextDouble();
                }
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        int gx = x / cell;
                        int gy = y / cell;
                        double ax = smooth((x % cell) / (double) cell);
                        double ay = smooth((y % cell) / (double) cell);
                        double a = grid[gy * g + gx];
                        double b = grid[gy * g + (gx + 1) % g];
                        double c = grid[((gy + 1) % g) * g + gx];
                        double d = grid[((gy + 1) % g) * g + (gx + 1) % g];
                        out[y * n + x] += (float) (amp * ((a * (1 - ax) + b * ax) * (1 - ay) + (c * (1 - ax) + d * ax) * ay));
                    }
                }
                total += amp;
                amp *= 0.55;
            }
            for (int i = 0; i < out.length; i++) {
                out[i] /= (float) total;
            }
            return out;
        }

        private static double smooth(double a) {
            return a * a * (3 - 2 * a);
        }

        private void set(byte[] rgb, int x, int y, double r, double g, double b) {
            int i = (y * w + x) * 3;
            rgb[i] = clamp(r);
            rgb[i + 1] = clamp(g);
            rgb[i + 2] = clamp(b);
        }
    }

    static byte clamp(double v) {
        return (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) Math.round(v));
    }
}
