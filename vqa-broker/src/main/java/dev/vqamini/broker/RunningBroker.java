package dev.vqamini.broker;

/** One way of running a broker in this JVM; {@link LocalKafkaBroker} hides which. */
interface RunningBroker {

    /** host:port clients connect to. */
    String bootstrapServers();

    /** Stops the broker and frees its resources. Called at most once. */
    void stop() throws Exception;
}
