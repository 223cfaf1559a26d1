/**
 * Builds each branch's ONNX graph (opset 17) from a spec and a state_dict; {@link dev.vqamini.model.onnx.GraphNames} names its inputs and outputs.
 */
package dev.vqamini.model.onnx;
