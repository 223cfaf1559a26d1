/**
 * Labelled video folders (KoNViD-1k style label files), calibration videos, and which server folders a remote
 * caller may name ({@link dev.vqamini.dataset.ServerPaths}).
 */
package dev.vqamini.dataset;
