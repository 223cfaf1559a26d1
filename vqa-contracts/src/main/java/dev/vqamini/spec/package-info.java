/**
 * The architecture as data, as every manifest records it: widths, depths, kept blocks and temporal kernels per
 * branch, fusion constants, and the parameter and FLOP counts they imply.
 */
package dev.vqamini.spec;
