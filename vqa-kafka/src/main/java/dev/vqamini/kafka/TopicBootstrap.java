package dev.vqamini.kafka;

import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics of a catalog that are missing and checks the ones that exist.
 *
 * <p>Idempotent and safe to run from several services at once: a topic that another process
 * creates between our list and our create ({@link TopicExistsException}) is treated as existing
 * and checked. It never alters an existing topic: a mismatch is reported, because silently
 * changing retention or compaction of a live topic can lose data.
 */
public final class TopicBootstrap {

    private static final int DESCRIBE_ATTEMPTS = 20;
    private static final long DESCRIBE_RETRY_MS = 250;

    private final Admin admin;
    private final Duration timeout;
    private final Optional<Short> replicationFactor;

    /**
     * @param admin             client to use (not closed by this class)
     * @param timeout           limit for each admin call
     * @param replicationFactor replication factor of created topics; {@code <= 0} means the broker's
     *                          {@code default.replication.factor}
     */
    public TopicBootstrap(Admin admin, Duration timeout, short replicationFactor) {
        this.admin = admin;
        this.timeout = timeout;
        this.replicationFactor = replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty();
    }

    /**
     * Runs a bootstrap of every catalog topic with a short-lived admin client.
     *
     * @param kafka             where and how to connect
     * @param timeout           limit for each admin call
     * @param replicationFactor see {@link #TopicBootstrap(Admin, Duration, short)}
     * @return what was created, found and mismatching
     */
    public static TopicBootstrapReport ensureCatalog(KafkaClientSettings kafka, Duration timeout, short replicationFactor) {
        Map<String, Object> props = kafka.admin("topic-bootstrap", (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        try (Admin admin = Admin.create(props)) {
            return new TopicBootstrap(admin, timeout, replicationFactor).ensure(TopicCatalog.all());
        }
    }

    /**
     * Creates the missing topics among {@code specs} and checks the others.
     *
     * @return what was created, found and mismatching
     * @throws KafkaAdminException when the broker cannot be reached or refuses a request
     */
    public TopicBootstrapReport ensure(Collection<TopicSpec> specs) {
        Set<String> present = await(admin.listTopics().names(), "list topics");
        List<String> created = new ArrayList<>();
        List<TopicSpec> toCheck = new ArrayList<>();
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (present.contains(spec.name())) {
                toCheck.add(spec);
            } else {
                missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), replicationFactor)
                        .configs(spec.configs()));
            }
        }
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing);
            for (TopicSpec spec : specs) {
                KafkaFuture<Void> future = result.values().get(spec.name());
                if (future == null) {
                    continue;
                }
                if (createdNow(future, spec.name())) {
                    created.add(spec.name());
                } else {
                    toCheck.add(spec); // another service won the race: check what it made
                }
            }
        }
        List<TopicMismatch> mismatches = check(toCheck);
        List<String> existing = toCheck.stream().map(TopicSpec::name).toList();
        return new TopicBootstrapReport(created, existing, mismatches);
    }

    private boolean createdNow(KafkaFuture<Void> future, String topic) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new KafkaAdminException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("creating topic " + topic + " took longer than " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while creating topic " + topic, e);
        }
    }

    private List<TopicMismatch> check(List<TopicSpec> specs) {
        List<TopicMismatch> mismatches = new ArrayList<>();
        if (specs.isEmpty()) {
            return mismatches;
        }
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions = describeWithRetry(names);
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all(), "describe topic configs");
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                mismatches.add(new TopicMismatch(spec.name(), "partitions",
                        Integer.toString(spec.partitions()), Integer.toString(partitions)));
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            for (Map.Entry<String, String> wanted : spec.configs().entrySet()) {
                ConfigEntry entry = config.get(wanted.getKey());
                String actual = entry == null ? "(unset)" : entry.value();
                if (!wanted.getValue().equals(actual)) {
                    mismatches.add(new TopicMismatch(spec.name(), wanted.getKey(), wanted.getValue(), actual));
                }
            }
        }
        return mismatches;
    }

    /** A topic created a moment ago by another process may not be in this broker's metadata yet. */
    private Map<String, TopicDescription> describeWithRetry(List<String> names) {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= DESCRIBE_ATTEMPTS) {
                    throw new KafkaAdminException("cannot describe topics " + names + ": " + e.getCause().getMessage(), e.getCause());
                }
                sleep(DESCRIBE_RETRY_MS);
            } catch (TimeoutException e) {
                throw new KafkaAdminException("describing topics " + names + " took longer than " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaAdminException("interrupted while describing topics", e);
            }
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaAdminException("Kafka refused to " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("could not " + what + " within " + timeout + " (is the broker reachable?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while trying to " + what, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while waiting for topic metadata", e);
        }
    }
}
