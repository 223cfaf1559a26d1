package dev.vqamini.video.synth;

/**
 * Full-reference quality of a distorted frame against its pristine source, on luma (BT.601 weights):
 * SSIM over 8 x 8 windows at stride 4 (uniform window; Wang et al. 2004 constants) and PSNR.
 */
public final class FullReference {

    private static final double C1 = (0.01 * 255) * (0.01 * 255);
    private static final double C2 = (0.03 * 255) * (0.03 * 255);
    private static final int WIN = 8;
    private static final int STRIDE = 4;

    private FullReference() {
    }

    /** Mean SSIM in [-1, 1] (1: identical) of two RGB24 frames of {@code w x h}. */
    public static double ssim(byte[] ref, byte[] test, int w, int h) {
        double[] a = luma(ref, w, h);
        double[] b = luma(test, w, h);
        double sum = 0;
        int n = 0;
        for (int y = 0; y + WIN <= h; y += STRIDE) {
            for (int x = 0; x + WIN <= w; x += STRIDE) {
                double ma = 0;
                double mb = 0;
                double saa = 0;
                double sbb = 0;
                double sab = 0;
                for (int dy = 0; dy < WIN; dy++) {
                    int row = (y + dy) * w + x;
                    for (int dx = 0; dx < WIN; dx++) {
                        double va = a[row + dx];
                        double vb = b[row + dx];
                        ma += va;
                        mb += vb;
                        saa += va * va;
                        sbb += vb * vb;
                        sab += va * vb;
                    }
                }
                double k = WIN * WIN;
                ma /= k;
                mb /= k;
                double va = saa / k - ma * ma;
                double vb = sbb / k - mb * mb;
                double cov = sab / k - ma * mb;
                sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
                n++;
            }
        }
        return n == 0 ? 1 : sum / n;
    }

    /** PSNR in dB on luma, capped at 100 for identical frames. */
    public static double psnr(byte[] ref, byte[] test, int w, int h) {
        double[] a = luma(ref, w, h);
        double[] b = luma(test, w, h);
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            se += (a[i] - b[i]) * (a[i] - b[i]);
        }
        double mse = se / a.length;
        return mse <= 1e-10 ? 100 : 10 * Math.log10(255 * 255 / mse);
    }

    private static double[] luma(byte[] rgb, int w, int h) {
        double[] y = new double[w * h];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.299 * (rgb[i * 3] & 0xFF) + 0.587 * (rgb[i * 3 + 1] & 0xFF) + 0.114 * (rgb[i * 3 + 2] & 0xFF);
        }
        return y;
    }
}
