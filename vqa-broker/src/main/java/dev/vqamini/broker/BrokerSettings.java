package dev.vqamini.broker;

import dev.vqamini.wire.TopicCatalog;

import java.util.LinkedHashMap;
import java.util.Map;

/** Broker configs: room for 16 MiB records, and replication for one node or for a cluster of three or more. */
final class BrokerSettings {

    private BrokerSettings() {
    }

    /** Settings for a one-node KRaft cluster that accepts the catalog's largest records. */
    static Map<String, String> singleNode() {
        return replicated(1, 1);
    }

    /**
     * Settings for a node of a cluster of three or more: every topic, internal ones included, replicated three times,
     * and a write acknowledged (acks=all) only once two replicas have it; a replica out of sync never becomes leader.
     */
    static Map<String, String> cluster() {
        Map<String, String> p = replicated(3, 2);
        p.put("unclean.leader.election.enable", "false");
        return p;
    }

    private static Map<String, String> replicated(int replicas, int minInSync) {
        String rf = Integer.toString(replicas);
        String isr = Integer.toString(minInSync);
        Map<String, String> p = new LinkedHashMap<>();
        String large = Integer.toString(TopicCatalog.LARGE_MESSAGE_BYTES);
        // Topics override max.message.bytes themselves, but the broker ceiling and the follower
        // fetch size must allow 16 MiB too, or large batches are refused or stall replication.
        p.put("message.max.bytes", large);
        p.put("replica.fetch.max.bytes", large);
        p.put("replica.fetch.response.max.bytes", large);
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", isr);
        // 3, not Kafka's 50: a local broker or cluster has few transactional producers (metrics-service's Streams app)
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", isr);
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", isr);
        // Consumers in tests and the demo should not wait 3 s for the first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Groups on the consumer protocol (KIP-848) get their session from the broker: 10 s, as classic members ask.
        p.put("group.consumer.min.session.timeout.ms", "6000");
        p.put("group.consumer.session.timeout.ms", "10000");
        p.put("group.consumer.min.heartbeat.interval.ms", "1000");
        p.put("group.consumer.heartbeat.interval.ms", "3000");
        return p;
    }
}
