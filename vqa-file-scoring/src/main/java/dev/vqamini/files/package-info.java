/**
 * What needs both the model and video files: the bootstrap model with heads fitted on synthetic videos, and scoring files.
 */
package dev.vqamini.files;
