package dev.vqamini.quality;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * One model version in the table operators read: quality against human scores over its last labelled videos (with
 * 95 % intervals), throughput, latency, cost, and its share of traffic.
 */
public record VersionRow(
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("role") Role role,
        @JsonProperty("traffic_weight") Double trafficWeight,
        @JsonProperty("videos") long videos,
        @JsonProperty("clips") long clips,
        @JsonProperty("labelled") int labelled,
        @JsonProperty("srcc") Double srcc,
        @JsonProperty("srcc_ci") List<Double> srccCi,
        @JsonProperty("plcc") Double plcc,
        @JsonProperty("plcc_raw") Double plccRaw,
        @JsonProperty("plcc_ci") List<Double> plccCi,
        @JsonProperty("krcc") Double krcc,
        @JsonProperty("krcc_ci") List<Double> krccCi,
        @JsonProperty("p50_e2e_s") Double p50EndToEnd,
        @JsonProperty("p99_e2e_s") Double p99EndToEnd,
        @JsonProperty("p50_inference_s") Double p50Inference,
        @JsonProperty("p99_inference_s") Double p99Inference,
        @JsonProperty("videos_per_s") double videosPerSecond,
        @JsonProperty("clips_per_s") double clipsPerSecond,
        @JsonProperty("parameters") Long parameters,
        @JsonProperty("flops_per_clip") Long flopsPerClip,
        @JsonProperty("bundle_bytes") Long bundleBytes,
        @JsonProperty("recipe") String recipe) {

    /** What the rollout makes of the version. */
    public enum Role {
        STABLE, CANDIDATE, RETIRED;

        @JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
