/**
 * The model bundle format every module shares: the manifest, its Ed25519 signature, the serving archive (manifest and
 * graphs) carried on vqa.models, the typed provenance and the digests. Plain Java: no Kafka, no ONNX Runtime.
 */
package dev.vqamini.bundle;
