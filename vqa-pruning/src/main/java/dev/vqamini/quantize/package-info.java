/** Quantisation: a static INT8 version of a model, calibrated on real views and gated on its agreement with fp32. */
package dev.vqamini.quantize;
