package io.jobplane.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The four jobplane services and the configuration each gets from the local stack. */
public enum Service {
    JOB_API("job-api", true, true, KafkaAcls.API),
    EXECUTION_WORKER("execution-worker", false, true, KafkaAcls.WORKER),
    METADATA_HARVESTER("metadata-harvester", true, false, KafkaAcls.HARVESTER),
    POLICY_MIGRATOR("policy-migrator", true, false, KafkaAcls.POLICY);

    private final String module;
    private final boolean hasDatabase;
    private final boolean holdsSecretKey;
    private final String kafkaUser;

    Service(String module, boolean hasDatabase, boolean holdsSecretKey, String kafkaUser) {
        this.module = module;
        this.hasDatabase = hasDatabase;
        this.holdsSecretKey = holdsSecretKey;
        this.kafkaUser = kafkaUser;
    }

    /** The Kafka user this service logs in as on a secured broker. */
    public String kafkaUser() {
        return kafkaUser;
    }

    public String module() {
        return module;
    }

    /** The packaged service under the repository root. */
    public Path jar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** System properties that point the service at a PLAINTEXT broker and this stack's PostgreSQL and keys. */
    public Map<String, String> properties(String kafkaBootstrap, PostgresServer postgres, DevKeys keys) {
        return properties(KafkaAccess.plaintext(kafkaBootstrap), postgres, keys);
    }

    /**
     * System properties that point the service at this stack's Kafka (logged in as the service's own
     * user when the broker is secured: {@code kafka.*} applies to every channel), PostgreSQL and keys.
     */
    public Map<String, String> properties(KafkaAccess kafka, PostgresServer postgres, DevKeys keys) {
        Map<String, String> p = new LinkedHashMap<>();
        kafka.clientConfig(kafkaUser).forEach((k, v) -> p.put("kafka." + k, v));
        if (hasDatabase) {
            p.put("quarkus.datasource.username", postgres.serviceUsername());
            p.put("quarkus.datasource.password", postgres.servicePassword());
            p.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            p.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
            // A password login (SCRAM) costs a handshake; on a loaded 2-core machine it outlasted the
            // 5 s default at a service's start, and Flyway gave up.
            p.put("quarkus.datasource.jdbc.acquisition-timeout", "30S");
        }
        if (holdsSecretKey) {
            p.put("jobplane.secrets.active-key-id", keys.secretKeyId());
            p.put("jobplane.secrets.keys." + keys.secretKeyId(), keys.secretKeyBase64());
        }
        if (this == JOB_API) {
            p.put("quarkus.oidc.public-key", keys.publicKeyBase64());
            p.put("quarkus.oidc.token.issuer", DevTokens.ISSUER);
            p.put("quarkus.oidc.token.audience", DevTokens.AUDIENCE);
        }
        return p;
    }
}
