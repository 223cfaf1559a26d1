package dev.vqamini.ingest.service;

import dev.vqamini.ingest.IngestPipeline;
import dev.vqamini.ingest.UploadEvents;
import dev.vqamini.ingest.UploadIntake;
import dev.vqamini.ingest.UploadSource;
import dev.vqamini.ingest.UploadStatusTable;
import dev.vqamini.ingest.WatchedFolder;
import dev.vqamini.kafka.KafkaClientSettings;
import dev.vqamini.service.TopicsAtStartup;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;

/**
 * The ingest library's parts as beans, from {@code vqa.ingest.*}: the status table, the intake, the source, the
 * pipeline, the upload-event consumer and the watched folder; the consumer and the folder start with the application
 * and stop first on shutdown, before the pipeline and the producers close.
 */
@ApplicationScoped
public class IngestWiring {

    @Produces
    @ApplicationScoped
    UploadStatusTable status(KafkaClientSettings kafka, MeterRegistry meters) {
        return new UploadStatusTable(kafka, meters);
    }

    void close(@Disposes UploadStatusTable status) throws InterruptedException {
        status.close();
    }

    @Produces
    @ApplicationScoped
    UploadIntake intake(IngestConfig settings, KafkaClientSettings kafka, UploadStatusTable status, MeterRegistry meters)
            throws IOException {
        return new UploadIntake(settings, kafka, status, meters);
    }

    void close(@Disposes UploadIntake intake) {
        intake.close();
    }

    @Produces
    @ApplicationScoped
    UploadSource source(IngestConfig settings) throws IOException {
        return new UploadSource(settings);
    }

    @Produces
    @ApplicationScoped
    IngestPipeline pipeline(IngestConfig settings, KafkaClientSettings kafka, MeterRegistry meters, UploadStatusTable status,
                            UploadIntake intake) {
        return new IngestPipeline(settings, kafka, meters, status, intake);
    }

    void close(@Disposes IngestPipeline pipeline) throws InterruptedException {
        pipeline.close();
    }

    @Produces
    @ApplicationScoped
    UploadEvents events(IngestPipeline pipeline, UploadSource source, UploadStatusTable status, UploadIntake intake,
                        KafkaClientSettings kafka, MeterRegistry meters) {
        return new UploadEvents(pipeline, source, status, intake, kafka, meters);
    }

    @Produces
    @ApplicationScoped
    WatchedFolder folder(IngestConfig settings, UploadIntake intake) {
        return new WatchedFolder(settings, intake);
    }

    void onStart(@Observes StartupEvent event, UploadEvents events, WatchedFolder folder, TopicsAtStartup topics)
            throws IOException {
        events.start(topics::awaitTopics);
        folder.start();
    }

    void onStop(@Observes ShutdownEvent event, UploadEvents events, WatchedFolder folder) throws InterruptedException {
        folder.close();
        events.close();
    }
}
