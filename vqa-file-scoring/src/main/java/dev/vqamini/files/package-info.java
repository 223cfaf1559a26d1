/**
 * Scoring video files with a model (decoding, views, both branches, fusion), and the bootstrap model whose heads are
 * fitted by scoring synthetic videos: what needs both the model and FFmpeg.
 */
package dev.vqamini.files;
