package io.jobplane.stack;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a {@code @QuarkusTest} at the JVM's real Kafka broker and PostgreSQL. */
public class JobplaneTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestInfrastructure.shared().quarkusConfig();
    }

    @Override
    public void stop() {
        // Shared by every test class of the JVM; stopped by a shutdown hook at JVM exit.
    }
}
