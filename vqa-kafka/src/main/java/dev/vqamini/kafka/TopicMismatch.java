package dev.vqamini.kafka;

/**
 * One setting of an existing topic that differs from its {@link TopicSpec}.
 *
 * @param topic    topic name
 * @param setting  the setting, e.g. {@code partitions} or {@code max.message.bytes}
 * @param expected the value the catalog asks for
 * @param actual   the value the broker reports
 */
public record TopicMismatch(String topic, String setting, String expected, String actual) {

    @Override
    public String toString() {
        return "topic " + topic + ": " + setting + " is " + actual + ", expected " + expected;
    }
}
