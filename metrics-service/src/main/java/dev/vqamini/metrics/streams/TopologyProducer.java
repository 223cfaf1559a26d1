package dev.vqamini.metrics.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

/** Hands the topology to Quarkus Kafka Streams, which runs and health-checks it. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology() {
        return ClipCountTopology.build();
    }
}
