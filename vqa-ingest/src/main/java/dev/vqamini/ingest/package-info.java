/**
 * Ingest as a plain-Java library: {@link dev.vqamini.ingest.UploadIntake} accepts uploads into the
 * {@link dev.vqamini.ingest.UploadSpool} and onto vqa.uploads, {@link dev.vqamini.ingest.UploadEvents} consumes them
 * at least once, {@link dev.vqamini.ingest.IngestPipeline} cuts each into its vqa.fragments records
 * ({@link dev.vqamini.ingest.VideoIngest}) or dead-letters it, {@link dev.vqamini.ingest.UploadStatusTable} keeps
 * every upload's state, {@link dev.vqamini.ingest.UploadSource} and {@link dev.vqamini.ingest.UriPolicy} decide which
 * URIs may be read, and {@link dev.vqamini.ingest.WatchedFolder} takes files dropped into a folder. ingest-service
 * wires these to HTTP and configuration.
 */
package dev.vqamini.ingest;
