/**
 * ingest-service: {@code POST /videos} and {@code GET /uploads/{id}} ({@link dev.vqamini.ingest.service.VideosResource}),
 * {@code vqa.ingest.*} configuration ({@link dev.vqamini.ingest.service.IngestConfig}) and the wiring of the ingest
 * library ({@link dev.vqamini.ingest.service.IngestWiring}); the work itself is {@code dev.vqamini.ingest}'s.
 */
package dev.vqamini.ingest.service;
