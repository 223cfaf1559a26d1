package dev.vqamini.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition are still being worked on. The offset a partition may commit is its lowest
 * pending one (or one past the highest seen when none is pending): everything below is done, so a crash re-delivers
 * only what was not finished. Used by every consumer that commits by hand (scorer, ingest). Not thread-safe: the
 * consumer thread owns it.
 */
public final class PendingOffsets {

    /** One record's place: what a worker hands back to the consumer thread when the record is finished. */
    public record Position(TopicPartition tp, long offset) {
    }

    private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();

    public void received(TopicPartition tp, long offset) {
        pending.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
        next.merge(tp, offset + 1, Math::max);
    }

    public void done(TopicPartition tp, long offset) {
        TreeSet<Long> p = pending.get(tp);
        if (p != null) {
            p.remove(offset);
        }
    }

    /** The offset to commit per partition: nothing at or above it is known to be finished. */
    public Map<TopicPartition, Long> committable() {
        Map<TopicPartition, Long> out = new HashMap<>();
        next.forEach((tp, n) -> {
            TreeSet<Long> p = pending.get(tp);
            out.put(tp, p == null || p.isEmpty() ? n : p.first());
        });
        return out;
    }

    /** Forgets partitions this consumer no longer owns. */
    public void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            pending.remove(tp);
            next.remove(tp);
        });
    }
}
