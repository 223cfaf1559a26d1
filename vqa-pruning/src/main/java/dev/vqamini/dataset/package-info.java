/**
 * Labelled video folders (KoNViD-1k style label files) and calibration videos.
 */
package dev.vqamini.dataset;
