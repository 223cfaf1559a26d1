package dev.vqamini.video.synth;

/**
 * Maps mean SSIM (decoded distorted video vs the pristine frames) to a 1..5 pseudo-MOS, monotonically:
 * {@code mos = 1 + 4 * clamp((ssim - 0.55) / 0.43, 0, 1)}, i.e. SSIM 0.98 or better (what a clean CRF-18 encode
 * reaches) is 5, SSIM 0.55 or worse is 1, linear in between. SSIM rather than PSNR because it tracks blur,
 * noise and blocking on one scale; the floor and ceiling were picked so the six distortion types at levels 1..5
 * spread over the whole range on the synthetic scenes.
 */
public final class PseudoMos {

    public static final double SSIM_FLOOR = 0.55;
    public static final double SSIM_CEILING = 0.98;

    private PseudoMos() {
    }

    /** The pseudo-MOS of a video with mean SSIM {@code ssim}. */
    public static double fromSsim(double ssim) {
        double u = (ssim - SSIM_FLOOR) / (SSIM_CEILING - SSIM_FLOOR);
        return 1 + 4 * Math.max(0, Math.min(1, u));
    }
}
