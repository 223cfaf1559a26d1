package dev.vqamini.video.synth;

import java.nio.file.Path;

/**
 * One generated video and its full-reference labels.
 *
 * @param file        the encoded file
 * @param content     scene kind
 * @param contentSeed the scene's seed
 * @param distortion  what was done to it
 * @param level       1 (mild) .. 5 (severe)
 * @param crf         the libx264 CRF it was encoded with
 * @param frames      frames encoded (and decoded back)
 * @param ssim        mean SSIM of the decoded video against the pristine frames
 * @param psnr        mean PSNR (dB) likewise
 * @param mos         pseudo-MOS 1..5 from {@link PseudoMos#fromSsim(double)}
 */
public record SynthVideo(Path file, SynthContent content, long contentSeed, Distortion distortion, int level, int crf,
                         int frames, double ssim, double psnr, double mos) {
}
