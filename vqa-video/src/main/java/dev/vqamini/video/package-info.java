/**
 * Video input with FFmpeg (JavaCV): {@link dev.vqamini.video.VideoFile} opens and probes a file against
 * {@link dev.vqamini.video.VideoLimits}, {@link dev.vqamini.video.FrameReader} decodes just the requested frames as
 * upright RGB24 in one forward pass. Anything unusable is a {@link dev.vqamini.video.VideoInputException} with a
 * one-line {@code "file: reason"} message.
 */
package dev.vqamini.video;
