package dev.vqamini.prune;

/**
 * The report of one pruned version against its unpruned parent, on a held-out split the heads never saw.
 *
 * @param heldOutVideos         videos in the held-out split
 * @param srccLabels            SRCC of the fused score against MOS (NaN without labels)
 * @param plccLabels            PLCC of the fused score against MOS (NaN without labels)
 * @param parentSrccLabels      the same for the unpruned model
 * @param parentPlccLabels      the same for the unpruned model
 * @param srccVsParent          SRCC of the fused score against the unpruned model's fused score
 * @param refitTarget           what the heads were refitted to
 * @param latency               for a latency target: the table, predicted and measured ratios; else null
 * @param channelMultiple       pruned channel counts were rounded to multiples of this (0: not recorded)
 */
public record PruneReport(String recipe, ModelCosts costs, ModelCosts parentCosts, int calibrationVideos,
                          int heldOutVideos, double srccLabels, double plccLabels, double parentSrccLabels,
                          double parentPlccLabels, double srccVsParent, PruneConfig.RefitTarget refitTarget,
                          LatencyTarget latency, int channelMultiple) {

    /** A report without a latency target. */
    public PruneReport(String recipe, ModelCosts costs, ModelCosts parentCosts, int calibrationVideos, int heldOutVideos,
                       double srccLabels, double plccLabels, double parentSrccLabels, double parentPlccLabels,
                       double srccVsParent, PruneConfig.RefitTarget refitTarget) {
        this(recipe, costs, parentCosts, calibrationVideos, heldOutVideos, srccLabels, plccLabels, parentSrccLabels,
                parentPlccLabels, srccVsParent, refitTarget, null, 0);
    }

    public double paramsRatio() {
        return (double) costs.parametersPresent() / parentCosts.parametersPresent();
    }

    public double flopsRatio() {
        return (double) costs.flopsPerClip() / parentCosts.flopsPerClip();
    }

    public double latencyRatio() {
        return costs.latencySecondsPerClip() / parentCosts.latencySecondsPerClip();
    }

    public double memoryRatio() {
        return (double) costs.peakMemoryBytes() / parentCosts.peakMemoryBytes();
    }

    /** A few readable lines for logs and the CLI. */
    public String summary() {
        return String.format("%s: params %,d (%.1f%%, non-zero %,d), FLOPs/clip %.2f G (%.1f%%), ONNX %.1f MB (%.1f MB deflated), "
                        + "latency %.3f s/clip (%.2fx), peak memory %.0f MB in this process (%.2fx; `vqa bench` measures fresh processes)%nheld-out %d videos: SRCC vs labels %.4f (unpruned %.4f), PLCC %.4f (unpruned %.4f), "
                        + "SRCC vs unpruned %.4f; heads refit on %s%s",
                recipe, costs.parametersPresent(), 100 * paramsRatio(), costs.parametersNonZero(), costs.flopsPerClip() / 1e9,
                100 * flopsRatio(), costs.onnxBytes() / 1e6, costs.onnxCompressedBytes() / 1e6, costs.latencySecondsPerClip(),
                latencyRatio(), costs.peakMemoryBytes() / 1e6, memoryRatio(), heldOutVideos, srccLabels, parentSrccLabels, plccLabels, parentPlccLabels, srccVsParent, refitTarget.key(),
                channelMultiple > 0 ? "; channels in multiples of " + channelMultiple : "")
                + (latency == null ? "" : System.lineSeparator() + latency.summary());
    }
}
