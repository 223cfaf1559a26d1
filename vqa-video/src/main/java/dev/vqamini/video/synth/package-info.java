/**
 * Synthetic labelled videos: seeded moving scenes ({@link dev.vqamini.video.synth.SynthContent}), graded
 * distortions ({@link dev.vqamini.video.synth.Distortion}), H.264 encoding ({@link dev.vqamini.video.synth.VideoWriter})
 * and pseudo-MOS labels from full-reference SSIM ({@link dev.vqamini.video.synth.PseudoMos}).
 */
package dev.vqamini.video.synth;
