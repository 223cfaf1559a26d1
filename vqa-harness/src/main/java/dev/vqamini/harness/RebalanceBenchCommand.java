package dev.vqamini.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.kafka.KafkaClientSettings;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vqa bench-rebalance}: what a member joining or leaving costs the members that stay, under the classic
 * group protocol and under the consumer protocol (KIP-848), measured the same way, alternating.
 */
@Command(name = "bench-rebalance", mixinStandardHelpOptions = true,
        description = {
                "Measure what a rebalance costs the consumers that stay, for each consumer group protocol: a broker",
                "process (or a three-node KRaft cluster with --cluster), a topic with as many partitions as vqa.fragments,",
                "a steady stream of records, two members that each spend --work-ms on a record and commit what they",
                "finished; then a third member joins and, later, the first one leaves cleanly (as a scorer scaled in by",
                "SIGTERM). For each event: the longest pause in records reaching a member that stayed, and the worst",
                "delay from a record's send to its receipt. Protocols run alternately, --rounds times each."})
public final class RebalanceBenchCommand implements Callable<Integer> {

    private static final String TOPIC = "vqa.bench.rebalance";
    private static final int PARTITIONS = 6;

    @Option(names = "--rounds", defaultValue = "3", description = "Runs per protocol (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--rate", defaultValue = "100", description = "Records per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--work-ms", defaultValue = "5", description = "Time a member spends on one record (default ${DEFAULT-VALUE}).")
    int workMs;

    @Option(names = "--phase", defaultValue = "PT8S", description = "Steady time before and after each event (default ${DEFAULT-VALUE}).")
    Duration phase;

    @Option(names = "--cluster", description = "Three broker processes (a KRaft cluster) instead of one.")
    boolean cluster;

    @Option(names = "--json", description = "One JSON object per run instead of the table.")
    boolean json;

    /** One run: per event, the longest pause of a member that stayed and the worst send-to-receipt delay. */
    public record Run(String protocol, int round, double joinPauseMs, double joinLatencyMs, double leavePauseMs,
                      double leaveLatencyMs, long records, int commitsRefused) {
    }

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("vqa-bench-rebalance");
        try (BrokerCluster brokers = BrokerCluster.start(work.resolve("broker"), work.resolve("logs"), cluster ? 3 : 1)) {
            KafkaClientSettings kafka = KafkaClientSettings.plaintext(brokers.bootstrapServers(), "vqa-bench-rebalance");
            try (Admin admin = kafka.newAdmin("bench", 60_000)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, brokers.replication()))).all().get(60, TimeUnit.SECONDS);
            }
            if (!json) {
                System.out.printf("%-9s %5s  %17s  %19s  %18s  %20s  %7s  %s%n", "protocol", "round", "join: pause (ms)",
                        "join: delay (ms)", "leave: pause (ms)", "leave: delay (ms)", "records", "commits refused");
            }
            for (int round = 1; round <= rounds; round++) {
                for (String protocol : List.of("classic", "consumer")) {
                    Run r = run(kafka.withGroupProtocol(protocol), protocol, round);
                    if (json) {
                        System.out.println(new ObjectMapper().writeValueAsString(r));
                    } else {
                        System.out.printf("%-9s %5d  %17.0f  %19.0f  %18.0f  %20.0f  %7d  %d%n", r.protocol(), r.round(),
                                r.joinPauseMs(), r.joinLatencyMs(), r.leavePauseMs(), r.leaveLatencyMs(), r.records(),
                                r.commitsRefused());
                    }
                    System.out.flush();
                }
            }
        }
        return 0;
    }

    private Run run(KafkaClientSettings kafka, String protocol, int round) throws Exception {
        String group = "bench-rebalance-" + protocol + "-" + round + "-" + System.nanoTime();
        try (Stream stream = new Stream(kafka)) {
            Member first = new Member(kafka, group, "m1");
            Member second = new Member(kafka, group, "m2");
            Thread.sleep(phase.toMillis());
            long join = System.currentTimeMillis();
            Member third = new Member(kafka, group, "m3");
            Thread.sleep(phase.toMillis());
            long leave = System.currentTimeMillis();
            first.close();
            Thread.sleep(phase.toMillis());
            long end = System.currentTimeMillis();
            second.close();
            third.close();
            // the pause of a member that stayed: the longest time it received nothing, after the event
            double joinPause = second.longestGap(join, leave);
            double leavePause = Math.max(second.longestGap(leave, end), third.longestGap(leave, end));
            double joinDelay = Math.max(Math.max(first.worstDelay(join, leave), second.worstDelay(join, leave)),
                    third.worstDelay(join, leave));
            double leaveDelay = Math.max(second.worstDelay(leave, end), third.worstDelay(leave, end));
            return new Run(protocol, round, joinPause, joinDelay, leavePause, leaveDelay,
                    first.received.size() + second.received.size() + third.received.size(),
                    first.commitsRefused + second.commitsRefused + third.commitsRefused);
        }
    }

    /** A steady producer: each record carries its send time. */
    private final class Stream implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final Thread thread;
        private volatile boolean running = true;

        Stream(KafkaClientSettings kafka) {
            producer = new KafkaProducer<>(kafka.producer("bench"), new ByteArraySerializer(), new ByteArraySerializer());
            thread = new Thread(() -> {
                long every = TimeUnit.SECONDS.toNanos(1) / rate;
                long next = System.nanoTime();
                for (int i = 0; running; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null,
                            ByteBuffer.allocate(8).putLong(System.currentTimeMillis()).array()));
                    next += every;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "bench-stream");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** A group member on its own thread: works on each record, commits after each batch, commits on revocation. */
    private final class Member implements AutoCloseable {
        /** Per record received: {receipt ms, send ms}. */
        final List<long[]> received = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int commitsRefused;

        Member(KafkaClientSettings kafka, String group, String name) {
            Map<String, Object> settings = kafka.groupConsumer("bench-" + name, group);
            settings.put("auto.offset.reset", "latest");
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            thread = new Thread(() -> {
                try (consumer) {
                    consumer.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            commit(consumer);
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        }
                    });
                    while (running) {
                        var records = consumer.poll(Duration.ofMillis(100));
                        for (ConsumerRecord<byte[], byte[]> r : records) {
                            received.add(new long[] {System.currentTimeMillis(), ByteBuffer.wrap(r.value()).getLong()});
                            Thread.sleep(workMs);
                        }
                        if (!records.isEmpty()) {
                            commit(consumer);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-" + name);
            thread.start();
        }

        /** As the services do: a commit the group refuses (it moved on) is left for the next one. */
        private void commit(KafkaConsumer<byte[], byte[]> consumer) {
            try {
                consumer.commitSync();
            } catch (CommitFailedException | RebalanceInProgressException e) {
                commitsRefused++;
            }
        }

        double longestGap(long from, long to) {
            long previous = from;
            long gap = 0;
            for (long[] r : received) {
                if (r[0] >= from && r[0] <= to) {
                    gap = Math.max(gap, r[0] - previous);
                    previous = r[0];
                }
            }
            return Math.max(gap, to - previous);
        }

        double worstDelay(long from, long to) {
            return received.stream().filter(r -> r[0] >= from && r[0] <= to).mapToLong(r -> r[0] - r[1]).max().orElse(0);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(30_000);
        }
    }
}
