/**
 * The record contracts: the protobuf messages and their serdes, the topic catalog (names, keys, configs), fragment
 * and view records, and the clip assembler that puts a video's clips back together.
 */
package dev.vqamini.wire;
