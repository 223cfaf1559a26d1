package dev.vqamini.kafka;

import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.KafkaException;

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
     * Connects with {@code settings} (address, TLS/SASL), describes the cluster within {@code timeout} and closes the
     * client without waiting: the quick check a command makes before its real work, so that an unreachable broker or
     * refused credentials fail in seconds rather than after the clients' own 60 s of retries.
     *
     * @throws KafkaAdminException when the client cannot be made (e.g. no bootstrap host resolves), the cluster does not
     *                             answer in time or refuses; its cause is the client's exception
     */
    public static ClusterInfo reach(KafkaClientSettings settings, Duration timeout) {
        int ms = (int) Math.max(1_000, timeout.toMillis());
        Map<String, Object> config = settings.admin("probe", ms);
        // one connection attempt must fit the probe: otherwise a silent host keeps it in its first connect for 10 s
        config.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) Math.min(ms, 10_000));
        config.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) Math.min(ms, 30_000));
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KafkaAdminException("cannot create a Kafka client for " + settings.bootstrapServers() + ": "
                    + cause.getMessage(), cause);
        }
        try {
            return probe(admin, timeout);
        } finally {
            // close(ZERO) still waits for the client's thread, seconds when a connection attempt hangs: not our caller
            Thread closer = new Thread(() -> admin.close(Duration.ZERO), "kafka-probe-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    /**
     * Describes the cluster within {@code timeout}.
     *
     * @throws KafkaAdminException when the cluster does not answer in time or refuses
     */
    public static ClusterInfo probe(Admin admin, Duration timeout) {
        long ms = timeout.toMillis();
        DescribeClusterResult result = admin.describeCluster(
                new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, ms)));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        try {
            String clusterId = result.clusterId().get(ms, TimeUnit.MILLISECONDS);
            long left = Math.max(0, deadline - System.nanoTime());
            return new ClusterInfo(clusterId, result.nodes().get(left, TimeUnit.NANOSECONDS).size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the call's own timeout (DescribeClusterOptions) ran out before ours: no answer, not a refusal
                throw new KafkaAdminException("Kafka broker did not answer within " + timeout, e.getCause());
            }
            throw new KafkaAdminException("Kafka broker refused describeCluster: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("Kafka broker did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while probing Kafka", e);
        }
    }
}
