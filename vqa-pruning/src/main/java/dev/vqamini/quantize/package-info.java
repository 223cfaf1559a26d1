/**
 * INT8, in one place: {@link dev.vqamini.quantize.Int8Calibrator} measures activation ranges on real views, {@link
 * dev.vqamini.quantize.Int8Quantization} builds the static INT8 graphs and gates them on their agreement with fp32. The
 * graph operators they emit are the graph builder's ({@code dev.vqamini.model.onnx.StaticInt8}, {@code Int8Layer}).
 */
package dev.vqamini.quantize;
