/**
 * The {@code vqa} command line (picocli): one class per command, shared options as mixins; the work itself lives in the library modules.
 */
package dev.vqamini.cli;
