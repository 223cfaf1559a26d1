/**
 * The architecture as data: widths, depths, kept blocks, temporal kernels per branch, inferred from a state_dict; complexity counts.
 */
package dev.vqamini.spec;
