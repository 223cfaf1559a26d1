/**
 * The clips the model consumes and the wire carries: {@link dev.vqamini.clips.View}, {@link dev.vqamini.clips.ViewClips} (uint8 N x 3 x T x H x W) and {@link dev.vqamini.clips.VideoViews}, free of FFmpeg and ONNX Runtime.
 */
package dev.vqamini.clips;
