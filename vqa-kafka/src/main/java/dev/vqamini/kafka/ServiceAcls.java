package dev.vqamini.kafka;

import dev.vqamini.wire.TopicCatalog;
import dev.vqamini.wire.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

/**
 * The Kafka ACLs each VQA-Mini service needs on a cluster that runs an authorizer, derived from the
 * {@link TopicCatalog}, and a way to create them with an admin client. {@code deploy/kafka/acls.sh} and the Strimzi
 * {@code deploy/k8s/strimzi/kafka-users.yaml} grant the same (ServiceAclsTest compares the script with this table).
 *
 * <p>What every service gets: {@code DESCRIBE} and {@code DESCRIBE_CONFIGS} on every catalog topic, because each
 * service's startup {@link TopicBootstrap} lists the topics (a topic without {@code DESCRIBE} is invisible, so the
 * bootstrap would try to create it) and compares their configs. Nothing on the cluster resource: readiness calls
 * {@code describeCluster}, which Kafka answers without any ACL, and cluster {@code DESCRIBE} would also let a service
 * read every ACL. Idempotent producers need no {@code IDEMPOTENT_WRITE}: {@code WRITE} on a topic suffices (KIP-679).
 *
 * <p>Topic creation is the operator's job: the services get no {@code CREATE} on catalog topics. An admin principal
 * (a super user, or one with {@code CREATE}) runs {@code deploy/kafka/create-topics.sh} or
 * {@link TopicBootstrap#ensureCatalog} before the services start; the services' own bootstrap then only finds and
 * checks the topics. A missing topic makes the service's bootstrap fail with a topic authorization error, so it
 * stays unready until the operator creates it, instead of a service creating a topic with its own idea of the
 * settings. The one exception is metrics-service's Kafka Streams app, which creates its internal (changelog and
 * repartition) topics itself: it owns every topic, group and transactional id with the prefix
 * {@value #METRICS_APPLICATION_ID}.
 */
public final class ServiceAcls {

    /** scorer-service's consumer group over vqa.fragments ({@code vqa.scorer.group-id}). */
    public static final String SCORER_GROUP = "vqa-scorer";
    /** ingest-service's consumer group over vqa.uploads ({@code vqa.ingest.group-id}). */
    public static final String INGEST_GROUP = "vqa-ingest";
    /**
     * metrics-service's Kafka Streams {@code application.id} ({@code vqa.metrics.application-id}): its consumer
     * group, the prefix of its internal topics and of its transactional ids (exactly_once_v2).
     */
    public static final String METRICS_APPLICATION_ID = "vqa-metrics-service";
    /**
     * metrics-service's rollout controller group over the one-partition vqa.rollout-decisions: the member assigned
     * partition 0 is the one controller that acts ({@code vqa.rollout.controller.group-id}).
     */
    public static final String ROLLOUT_CONTROLLER_GROUP = "vqa-rollout-controller";

    /** A VQA-Mini service that talks to Kafka, with the user name it has unless told otherwise. */
    public enum Service {
        INGEST("ingest-service"),
        SCORER("scorer-service"),
        PRUNING("pruning-service"),
        METRICS("metrics-service");

        private final String defaultUser;

        Service(String defaultUser) {
            this.defaultUser = defaultUser;
        }

        /** The service's name, also its default Kafka user name. */
        public String defaultUser() {
            return defaultUser;
        }
    }

    /**
     * One permission, before it is bound to a user: ALLOW {@code operation} on a resource.
     *
     * @param service   who needs it
     * @param operation what it may do
     * @param type      TOPIC, GROUP or TRANSACTIONAL_ID
     * @param name      the resource name, or its prefix when {@code pattern} is PREFIXED
     * @param pattern   LITERAL or PREFIXED
     */
    public record Grant(Service service, AclOperation operation, ResourceType type, String name, PatternType pattern) {
    }

    private final Map<Service, String> users;

    private ServiceAcls(Map<Service, String> users) {
        this.users = users;
    }

    /** Each service authenticates as the user named like it ({@code scorer-service}...). */
    public static ServiceAcls defaults() {
        Map<Service, String> users = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            users.put(s, s.defaultUser());
        }
        return new ServiceAcls(users);
    }

    /** The same grants, with {@code service} authenticating as {@code user}. */
    public ServiceAcls withUser(Service service, String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("Kafka user of " + service.defaultUser() + " must not be blank");
        }
        Map<Service, String> copy = new EnumMap<>(users);
        copy.put(service, user);
        return new ServiceAcls(copy);
    }

    /** {@code User:<name>}, the principal Kafka sees for a SASL user. */
    public String principal(Service service) {
        return "User:" + user(service);
    }

    /** What {@code service} may do, in a stable order: its own grants first, then the shared DESCRIBEs. */
    public static List<Grant> grants(Service service) {
        List<Grant> g = new ArrayList<>();
        switch (service) {
            case INGEST -> {
                topics(g, service, READ, TopicCatalog.UPLOADS, TopicCatalog.UPLOAD_STATUS);
                group(g, service, INGEST_GROUP);
                topics(g, service, WRITE, TopicCatalog.UPLOADS, TopicCatalog.UPLOAD_STATUS, TopicCatalog.FRAGMENTS,
                        TopicCatalog.LABELS, TopicCatalog.DLQ);
            }
            case SCORER -> {
                topics(g, service, READ, TopicCatalog.FRAGMENTS, TopicCatalog.MODELS, TopicCatalog.ROLLOUTS);
                group(g, service, SCORER_GROUP);
                topics(g, service, WRITE, TopicCatalog.CLIP_SCORES, TopicCatalog.VIDEO_SCORES, TopicCatalog.DLQ);
            }
            case PRUNING -> {
                // Reads whole topics with assign(): no group, no committed offsets.
                topics(g, service, READ, TopicCatalog.FRAGMENTS, TopicCatalog.LABELS, TopicCatalog.MODELS,
                        TopicCatalog.ROLLOUTS);
                topics(g, service, WRITE, TopicCatalog.MODELS, TopicCatalog.ROLLOUTS);
            }
            case METRICS -> {
                topics(g, service, READ, TopicCatalog.VIDEO_SCORES, TopicCatalog.LABELS, TopicCatalog.DLQ,
                        TopicCatalog.MODELS, TopicCatalog.ROLLOUTS, TopicCatalog.ROLLOUT_DECISIONS);
                group(g, service, METRICS_APPLICATION_ID);
                // The rollout controller: elected by its group, edits rollouts (RolloutWriter) and writes decisions.
                group(g, service, ROLLOUT_CONTROLLER_GROUP);
                topics(g, service, WRITE, TopicCatalog.ROLLOUTS, TopicCatalog.ROLLOUT_DECISIONS);
                // Kafka Streams' internal topics: <application.id>-...-changelog / -repartition. It creates them,
                // checks their configs, reads, writes and purges (deleteRecords) them.
                for (AclOperation op : List.of(CREATE, DESCRIBE, DESCRIBE_CONFIGS, READ, WRITE, DELETE)) {
                    g.add(new Grant(service, op, ResourceType.TOPIC, METRICS_APPLICATION_ID, PatternType.PREFIXED));
                }
                // exactly_once_v2: transactional ids <application.id>-<process id>-<thread>.
                g.add(new Grant(service, WRITE, ResourceType.TRANSACTIONAL_ID, METRICS_APPLICATION_ID, PatternType.PREFIXED));
                g.add(new Grant(service, DESCRIBE, ResourceType.TRANSACTIONAL_ID, METRICS_APPLICATION_ID, PatternType.PREFIXED));
            }
            default -> throw new IllegalStateException("no grants for " + service);
        }
        for (TopicSpec t : TopicCatalog.all()) {
            g.add(new Grant(service, DESCRIBE, ResourceType.TOPIC, t.name(), PatternType.LITERAL));
            g.add(new Grant(service, DESCRIBE_CONFIGS, ResourceType.TOPIC, t.name(), PatternType.LITERAL));
        }
        return List.copyOf(g);
    }

    /** The ACL bindings of one service, for its configured user, from any host. */
    public List<AclBinding> bindings(Service service) {
        String principal = principal(service);
        return grants(service).stream()
                .map(g -> new AclBinding(new ResourcePattern(g.type(), g.name(), g.pattern()),
                        new AccessControlEntry(principal, "*", g.operation(), AclPermissionType.ALLOW)))
                .toList();
    }

    /** The bindings of every service. */
    public List<AclBinding> all() {
        List<AclBinding> out = new ArrayList<>();
        for (Service s : Service.values()) {
            out.addAll(bindings(s));
        }
        return out;
    }

    /**
     * Creates every service's ACLs (Kafka keeps an existing identical ACL once, so running this again is harmless).
     * The admin client must be allowed to ALTER the cluster, e.g. a super user.
     *
     * @return the number of bindings sent
     * @throws KafkaAdminException when the broker refuses or does not answer within {@code timeout}
     */
    public int apply(Admin admin, Duration timeout) {
        List<AclBinding> bindings = all();
        try {
            admin.createAcls(bindings).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return bindings.size();
        } catch (ExecutionException e) {
            throw new KafkaAdminException("Kafka refused to create the services' ACLs: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("creating the services' ACLs took longer than " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while creating ACLs", e);
        }
    }

    /** One line per binding ({@code User:scorer-service READ TOPIC vqa.fragments LITERAL}), for docs and logs. */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        for (Service s : Service.values()) {
            for (Grant g : grants(s)) {
                lines.add(principal(s) + " " + g.operation() + " " + g.type() + " " + g.name() + " " + g.pattern());
            }
        }
        return lines;
    }

    /** The group grant: READ on the group (it implies DESCRIBE), which joining, fetching and committing need. */
    private static void group(List<Grant> g, Service service, String group) {
        g.add(new Grant(service, READ, ResourceType.GROUP, group, PatternType.LITERAL));
    }

    private static void topics(List<Grant> g, Service service, AclOperation op, TopicSpec... topics) {
        Arrays.stream(topics).forEach(t -> g.add(new Grant(service, op, ResourceType.TOPIC, t.name(), PatternType.LITERAL)));
    }

    /** The user a service authenticates as. */
    public String user(Service service) {
        return users.get(service);
    }
}
