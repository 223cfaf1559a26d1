package dev.vqamini.metrics.service;

import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.metrics.gauges.QualityGauges;
import dev.vqamini.metrics.streams.QualityStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.jboss.logging.Logger;

/** The {@link QualityStore} over the running streams as a bean, and its gauges refreshed every {@code vqa.metrics.refresh}. */
@ApplicationScoped
public class QualityWiring {

    private static final Logger LOG = Logger.getLogger(QualityWiring.class);

    private ScheduledExecutorService refresher;

    @Produces
    @Singleton
    QualityStore store(KafkaStreams streams, KafkaClientSettings kafka) {
        return new QualityStore(streams, kafka, LOG::warn);
    }

    void close(@Disposes QualityStore store) throws InterruptedException {
        store.close();
    }

    void onStart(@Observes StartupEvent event, QualityStore store, MeterRegistry meters, MetricsSettings settings) {
        QualityGauges gauges = new QualityGauges(store, meters);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "quality-gauges"));
        long every = settings.refresh().toMillis();
        refresher.scheduleWithFixedDelay(gauges::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
