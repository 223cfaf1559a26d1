/**
 * DOVER's two views of a video. {@link dev.vqamini.views.ViewSampler} decodes a file once and produces
 * {@link dev.vqamini.clips.VideoViews}: technical fragments ({@link dev.vqamini.views.UnifiedFrameSampler} (32, 3, 2, 1):
 * 32 frames from each third of the video, {@link dev.vqamini.views.FragmentSampler} 7 x 7 patches of 32) and the aesthetic view (32 frames spread over
 * the video, {@link dev.vqamini.views.ResizedViewSampler} to 224 x 224). Offsets are seeded-random as upstream, or
 * centred ({@link dev.vqamini.views.OffsetMode}).
 */
package dev.vqamini.views;
