package dev.vqamini.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Asks a Kafka cluster whether it answers: the basis of the services' readiness checks. */
public final class BrokerProbe {

    /**
     * What the cluster said.
     *
     * @param clusterId the cluster id
     * @param brokers   number of live brokers
     */
    public record ClusterInfo(String clusterId, int brokers) {
    }

    private BrokerProbe() {
    }

    /**
     * Describes the cluster within {@code timeout}.
     *
     * @throws KafkaAdminException when the cluster does not answer in time or refuses
     */
    public static ClusterInfo probe(Admin admin, Duration timeout) {
        DescribeClusterResult result = admin.describeCluster();
        long ms = timeout.toMillis();
        try {
            return new ClusterInfo(result.clusterId().get(ms, TimeUnit.MILLISECONDS),
                    result.nodes().get(ms, TimeUnit.MILLISECONDS).size());
        } catch (ExecutionException e) {
            throw new KafkaAdminException("Kafka broker refused describeCluster: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("Kafka broker did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while probing Kafka", e);
        }
    }
}
