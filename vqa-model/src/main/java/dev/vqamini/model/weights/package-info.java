/**
 * Weight files read as data: PyTorch .pth (zip and legacy, allow-listed unpickling) and safetensors.
 */
package dev.vqamini.model.weights;
