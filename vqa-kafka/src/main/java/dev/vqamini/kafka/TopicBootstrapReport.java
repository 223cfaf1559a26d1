package dev.vqamini.kafka;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What one {@link TopicBootstrap} run found and did.
 *
 * @param created    topics this run created
 * @param existing   topics that already existed (including ones another process created concurrently)
 * @param mismatches settings of existing topics that differ from the catalog; empty when all match
 */
public record TopicBootstrapReport(List<String> created, List<String> existing, List<TopicMismatch> mismatches) {

    public TopicBootstrapReport {
        created = List.copyOf(created);
        existing = List.copyOf(existing);
        mismatches = List.copyOf(mismatches);
    }

    /** True when every existing topic matches its spec. */
    public boolean consistent() {
        return mismatches.isEmpty();
    }

    /** One line for logs: counts, then each mismatch. */
    public String summary() {
        String head = "topics: " + created.size() + " created " + created + ", " + existing.size() + " already there";
        if (mismatches.isEmpty()) {
            return head + ", all match the catalog";
        }
        return head + "; " + mismatches.size() + " mismatch(es): "
                + mismatches.stream().map(TopicMismatch::toString).collect(Collectors.joining("; "));
    }

    /**
     * @return this report when consistent
     * @throws IllegalStateException listing every mismatch otherwise
     */
    public TopicBootstrapReport requireConsistent() {
        if (!consistent()) {
            throw new IllegalStateException("existing Kafka topics do not match the topic catalog: " + summary()
                    + " (fix them with kafka-configs.sh / kafka-topics.sh, or delete and let them be recreated)");
        }
        return this;
    }
}
