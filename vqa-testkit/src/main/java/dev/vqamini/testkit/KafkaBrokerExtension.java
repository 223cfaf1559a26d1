package dev.vqamini.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 fixture that gives tests the JVM-wide real Kafka broker ({@link SharedKafkaBroker}).
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class MyTest {
 *     @Test void works(TestKafka kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        SharedKafkaBroker.get(); // start before the first test so its start time is not charged to one test
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return SharedKafkaBroker.get();
    }
}
