/**
 * Ingest, framework-free: {@link dev.vqamini.ingest.VideoIngest} cuts an uploaded file into its vqa.fragments
 * records, {@link dev.vqamini.ingest.UriPolicy} decides which upload URIs may be read.
 */
package dev.vqamini.ingest;
