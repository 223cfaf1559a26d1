package dev.vqamini.broker;

import dev.vqamini.wire.TopicCatalog;

import java.util.LinkedHashMap;
import java.util.Map;

/** Broker configs both broker modes share: single-node replication and room for 16 MiB records. */
final class BrokerSettings {

    private BrokerSettings() {
    }

    /** Settings for a one-node KRaft cluster that accepts the catalog's largest records. */
    static Map<String, String> singleNode() {
        Map<String, String> p = new LinkedHashMap<>();
        String large = Integer.toString(TopicCatalog.LARGE_MESSAGE_BYTES);
        // Topics override max.message.bytes themselves, but the broker ceiling and the follower
        // fetch size must allow 16 MiB too, or large batches are refused or stall replication.
        p.put("message.max.bytes", large);
        p.put("replica.fetch.max.bytes", large);
        p.put("replica.fetch.response.max.bytes", large);
        // One node: internal topics cannot have more than one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Consumers in tests and the demo should not wait 3 s for the first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }
}
